import { useEffect, useMemo, useState } from 'react';
import { listAllOrganisations } from '../../api';
import { useI18n } from '../../i18n';
import { replaceQuery } from '../../nav';
import { matchesSearch } from '../../search';
import { useAsync } from '../../ui/useAsync';
import { AsyncView } from '../../ui/AsyncView';
import { MemberFilters, NO_REGION, type Filters } from './MemberFilters';
import { MemberTable } from './MemberTable';

function filtersFrom(query: URLSearchParams): Filters {
  return { q: query.get('q') ?? '', region: query.get('region') ?? '', kind: query.get('kind') ?? '' };
}

export function MembersPage({ initialQuery }: { initialQuery: URLSearchParams }) {
  const { t, formatNumber } = useI18n();
  const [filters, setFilters] = useState<Filters>(() => filtersFrom(initialQuery));
  const [members, retry] = useAsync((signal) => listAllOrganisations({}, signal), []);

  // A new hash (e.g. a link to a filtered list) resets the filters.
  useEffect(() => setFilters(filtersFrom(initialQuery)), [initialQuery]);

  // Keep the filters in the address so they survive a visit to a member page.
  useEffect(() => {
    const query = new URLSearchParams();
    if (filters.q) query.set('q', filters.q);
    if (filters.region) query.set('region', filters.region);
    if (filters.kind) query.set('kind', filters.kind);
    replaceQuery('/members', query);
  }, [filters]);

  const sorted = useMemo(() => {
    if (members.status !== 'ok') return [];
    const collator = new Intl.Collator('da-DK', { sensitivity: 'base', numeric: true });
    return [...members.data].sort((a, b) => collator.compare(a.name, b.name) || collator.compare(a.code, b.code));
  }, [members]);

  const visible = useMemo(
    () =>
      sorted.filter((m) => {
        if (filters.kind && m.kind !== filters.kind) return false;
        if (filters.region === NO_REGION) {
          if (m.region_code) return false;
        } else if (filters.region && m.region_code !== filters.region) {
          return false;
        }
        return matchesSearch(filters.q, m.name, m.code);
      }),
    [sorted, filters],
  );

  return (
    <section className="panel members" data-testid="members-page">
      <h1>{t('members.heading')}</h1>
      <MemberFilters filters={filters} onChange={setFilters} />
      <AsyncView state={members} retry={retry}>
        {() => (
          <>
            <p className="result-count" data-testid="member-count" aria-live="polite">
              {t('members.shown', { shown: formatNumber(visible.length), total: formatNumber(sorted.length) })}
            </p>
            <MemberTable members={visible} />
          </>
        )}
      </AsyncView>
    </section>
  );
}
