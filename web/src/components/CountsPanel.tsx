import { countOrganisations, type OrgKind } from '../api';
import { useI18n, type MessageKey } from '../i18n';
import { membersHref } from '../router';
import { useApi } from '../useApi';
import { ErrorMessage } from './ErrorMessage';
import { Loading } from './Loading';

const COUNTED: readonly { kind: OrgKind; label: MessageKey }[] = [
  { kind: 'municipality', label: 'count.municipality' },
  { kind: 'region', label: 'count.region' },
  { kind: 'state_body', label: 'count.state_body' },
  { kind: 'shared_system', label: 'count.shared_system' },
  { kind: 'supplier', label: 'count.supplier' },
];

export function CountsPanel() {
  const { t, formatNumber } = useI18n();
  const [counts, retry] = useApi(
    (signal) => Promise.all(COUNTED.map((c) => countOrganisations(c.kind, signal))),
    [],
  );
  return (
    <section className="panel counts" data-testid="counts">
      <h2>{t('overview.counts')}</h2>
      {counts.status === 'loading' ? <Loading /> : null}
      {counts.status === 'error' ? <ErrorMessage error={counts.error} onRetry={retry} /> : null}
      {counts.status === 'ok' ? (
        <ul className="count-grid">
          {COUNTED.map((c, i) => (
            <li key={c.kind}>
              <a className="count" href={membersHref({ kind: c.kind })} data-kind={c.kind}>
                <span className="count-value">{formatNumber(counts.data[i] ?? 0)}</span>
                <span className="count-label">{t(c.label)}</span>
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
