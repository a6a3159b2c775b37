import type { ReactNode } from 'react';
import type { ApiError } from '../api';
import { ErrorMessage } from './ErrorMessage';
import { Loading } from './Loading';
import type { AsyncState } from './useAsync';

export interface AsyncViewProps<T> {
  state: AsyncState<T>;
  /** Offered as "try again" with the error. */
  retry?: () => void;
  /** When the data counts as empty, `empty` is shown instead of the content. */
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  /** Replaces the standard error message (return undefined to keep it). */
  error?: (error: ApiError) => ReactNode | undefined;
  /** Shown while idle (an action not yet run); nothing by default. */
  idle?: ReactNode;
  /** Replaces the standard loading text (e.g. null where a pending button already says so). */
  loading?: ReactNode;
  children: (data: T) => ReactNode;
}

/** Loading, error, empty or content for one AsyncState: the scaffold every page shares. */
export function AsyncView<T>({ state, retry, isEmpty, empty, error, idle, loading, children }: AsyncViewProps<T>) {
  switch (state.status) {
    case 'idle':
      return <>{idle ?? null}</>;
    case 'loading':
      return <>{loading !== undefined ? loading : <Loading />}</>;
    case 'error': {
      const custom = error?.(state.error);
      return <>{custom !== undefined ? custom : <ErrorMessage error={state.error} onRetry={retry} />}</>;
    }
    case 'ok':
      if (isEmpty?.(state.data)) return <>{empty ?? null}</>;
      return <>{children(state.data)}</>;
  }
}
