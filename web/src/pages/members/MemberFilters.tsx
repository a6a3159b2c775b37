import { ORG_KINDS } from '../../api';
import { useI18n } from '../../i18n';
import { REGIONS } from '../../regions';

export interface Filters {
  q: string;
  region: string;
  kind: string;
}

export const NO_REGION = 'none';

export function MemberFilters({ filters, onChange }: { filters: Filters; onChange: (next: Filters) => void }) {
  const { t, kindLabel, regionLabel } = useI18n();
  const active = filters.q !== '' || filters.region !== '' || filters.kind !== '';
  return (
    <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
      <label className="field field--grow">
        <span>{t('members.search')}</span>
        <input
          type="search"
          data-testid="member-search"
          value={filters.q}
          placeholder={t('members.searchPlaceholder')}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => onChange({ ...filters, q: e.target.value })}
        />
      </label>
      <label className="field">
        <span>{t('members.region')}</span>
        <select
          data-testid="region-filter"
          value={filters.region}
          onChange={(e) => onChange({ ...filters, region: e.target.value })}
        >
          <option value="">{t('members.allRegions')}</option>
          {REGIONS.map((r) => (
            <option key={r.code} value={r.code}>
              {regionLabel(r.code)}
            </option>
          ))}
          <option value={NO_REGION}>{t('members.noRegion')}</option>
        </select>
      </label>
      <label className="field">
        <span>{t('members.kind')}</span>
        <select
          data-testid="kind-filter"
          value={filters.kind}
          onChange={(e) => onChange({ ...filters, kind: e.target.value })}
        >
          <option value="">{t('members.allKinds')}</option>
          {ORG_KINDS.map((k) => (
            <option key={k} value={k}>
              {kindLabel(k)}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="button-secondary" disabled={!active} onClick={() => onChange({ q: '', region: '', kind: '' })}>
        {t('members.clear')}
      </button>
    </form>
  );
}
