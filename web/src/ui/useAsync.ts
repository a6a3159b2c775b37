import { useCallback, useEffect, useState, type DependencyList } from 'react';
import { ApiError } from '../api';

/**
 * The dashboard's one shape for the outcome of an asynchronous call. `idle`
 * is an action not yet started (useAction); a load starts in `loading`.
 */
export type AsyncState<T> =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'ok'; data: T }
  | { status: 'error'; error: ApiError };

/** A load's state: never idle. */
export type LoadState<T> = Exclude<AsyncState<T>, { status: 'idle' }>;

/** Any failure as an ApiError (an unreadable answer or a bug becomes kind "invalid"). */
export function asApiError(err: unknown): ApiError {
  return err instanceof ApiError ? err : new ApiError('invalid', err instanceof Error ? err.message : String(err));
}

function aborted(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

/**
 * Runs a load when `deps` change, aborts it on unmount or when deps change,
 * and exposes the outcome (including every failure) with a retry, and
 * `replace` for a write that answers with the new resource (no reload).
 */
export function useAsync<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: DependencyList,
): [LoadState<T>, () => void, (data: T) => void] {
  const [state, setState] = useState<LoadState<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setState({ status: 'loading' });
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: 'ok', data });
      },
      (err: unknown) => {
        if (!controller.signal.aborted && !aborted(err)) setState({ status: 'error', error: asApiError(err) });
      },
    );
    return () => controller.abort();
  }, [...deps, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  const replace = useCallback((data: T) => setState({ status: 'ok', data }), []);
  return [state, retry, replace];
}

/** Two loads as one: an error if either failed, loading until both are done. */
export function combine<A, B>(a: LoadState<A>, b: LoadState<B>): LoadState<[A, B]> {
  if (a.status === 'error') return a;
  if (b.status === 'error') return b;
  if (a.status === 'ok' && b.status === 'ok') return { status: 'ok', data: [a.data, b.data] };
  return { status: 'loading' };
}
