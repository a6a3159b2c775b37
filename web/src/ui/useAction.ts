import { useCallback, useEffect, useRef, useState } from 'react';
import { asApiError, type AsyncState } from './useAsync';

export interface Action<A extends unknown[], T> {
  /** idle until run; loading while pending; ok (done) or error afterwards. */
  state: AsyncState<T>;
  pending: boolean;
  /** Starts the action; resolves to its result, or null when it failed (the failure is in `state`). */
  run: (...args: A) => Promise<T | null>;
  reset: () => void;
}

/**
 * A POST/PUT behind a button or form: one call at a time, its outcome kept
 * for the UI. A result that arrives after unmount is dropped.
 */
export function useAction<A extends unknown[], T>(action: (...args: A) => Promise<T>): Action<A, T> {
  const [state, setState] = useState<AsyncState<T>>({ status: 'idle' });
  const mounted = useRef(true);
  const latest = useRef(action);
  latest.current = action;
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const run = useCallback(async (...args: A): Promise<T | null> => {
    setState({ status: 'loading' });
    try {
      const data = await latest.current(...args);
      if (mounted.current) setState({ status: 'ok', data });
      return data;
    } catch (err) {
      if (mounted.current) setState({ status: 'error', error: asApiError(err) });
      return null;
    }
  }, []);
  const reset = useCallback(() => setState({ status: 'idle' }), []);
  return { state, pending: state.status === 'loading', run, reset };
}
