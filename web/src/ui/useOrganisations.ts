import { useMemo } from 'react';
import { listAllOrganisations, type Organisation } from '../api';
import { useAsync } from './useAsync';

let cached: Promise<Organisation[]> | null = null;

/** Every organisation, fetched once per load of the dashboard (a failed fetch is tried again by the next page). */
function loadOnce(): Promise<Organisation[]> {
  cached ??= listAllOrganisations({}).catch((err: unknown) => {
    cached = null;
    throw err;
  });
  return cached;
}

export interface Organisations {
  /** Sorted by name; empty until loaded (or when the load failed). */
  list: readonly Organisation[];
  /** An organisation's name, or its code while the names load or when it is unknown. */
  nameOf: (code: string) => string;
}

/** The federation's organisations, for naming codes the API answers with (owners, claimants, members). */
export function useOrganisations(): Organisations {
  const [state] = useAsync(() => loadOnce(), []);
  return useMemo(() => {
    const list = state.status === 'ok' ? [...state.data].sort((a, b) => a.name.localeCompare(b.name, 'da')) : [];
    const names = new Map(list.map((org) => [org.code, org.name]));
    return { list, nameOf: (code: string) => names.get(code) ?? code };
  }, [state]);
}
