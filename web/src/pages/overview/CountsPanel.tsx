import { countOrganisations, type OrgKind } from '../../api';
import { useI18n, type MessageKey } from '../../i18n';
import { membersHref } from '../../nav';
import { useAsync } from '../../ui/useAsync';
import { AsyncView } from '../../ui/AsyncView';

const COUNTED: readonly { kind: OrgKind; label: MessageKey }[] = [
  { kind: 'municipality', label: 'count.municipality' },
  { kind: 'region', label: 'count.region' },
  { kind: 'state_body', label: 'count.state_body' },
  { kind: 'shared_system', label: 'count.shared_system' },
  { kind: 'supplier', label: 'count.supplier' },
];

export function CountsPanel() {
  const { t, formatNumber } = useI18n();
  const [counts, retry] = useAsync(
    (signal) => Promise.all(COUNTED.map((c) => countOrganisations(c.kind, signal))),
    [],
  );
  return (
    <section className="panel counts" data-testid="counts">
      <h2>{t('overview.counts')}</h2>
      <AsyncView state={counts} retry={retry}>
        {(data) => (
          <ul className="count-grid">
            {COUNTED.map((c, i) => (
              <li key={c.kind}>
                <a className="count" href={membersHref({ kind: c.kind })} data-kind={c.kind}>
                  <span className="count-value">{formatNumber(data[i] ?? 0)}</span>
                  <span className="count-label">{t(c.label)}</span>
                </a>
              </li>
            ))}
          </ul>
        )}
      </AsyncView>
    </section>
  );
}
