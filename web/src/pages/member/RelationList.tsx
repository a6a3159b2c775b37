import type { Edge } from '../../api';
import { useI18n } from '../../i18n';
import { memberHref } from '../../nav';

export interface RelationListProps {
  edges: readonly Edge[];
  emptyText: string;
  testId: string;
}

/** A list of edges: the other member (linked), the relation, its strength, and an "illustrative" marker. */
export function RelationList({ edges, emptyText, testId }: RelationListProps) {
  const { t, kindLabel, relationLabel, formatNumber } = useI18n();
  if (edges.length === 0) {
    return (
      <p className="empty" data-testid={testId} data-count="0">
        {emptyText}
      </p>
    );
  }
  const sorted = [...edges].sort((a, b) => (b.strength ?? 0) - (a.strength ?? 0) || a.name.localeCompare(b.name, 'da'));
  return (
    <ul className="relations" data-testid={testId} data-count={edges.length}>
      {sorted.map((e) => (
        <li key={`${e.code}:${e.relation}`} className={e.illustrative ? 'relation relation--illustrative' : 'relation'} data-code={e.code}>
          <div className="relation-main">
            <a href={memberHref(e.code)} className="relation-target">
              {e.name}
            </a>
            <span className="relation-kind">{kindLabel(e.kind)}</span>
          </div>
          <div className="relation-meta">
            <span className="relation-type" data-relation={e.relation}>
              {relationLabel(e.relation)}
            </span>
            {e.strength !== null ? (
              <span className="strength" title={t('member.strength')}>
                <meter min={0} max={1} value={Math.max(0, Math.min(1, e.strength))} aria-label={t('member.strength')} />
                <span className="strength-value">{formatNumber(e.strength, 2)}</span>
              </span>
            ) : null}
            {e.illustrative ? (
              <span className="badge badge--illustrative" data-testid="illustrative" title={t('member.illustrativeHint')}>
                {t('member.illustrative')}
              </span>
            ) : null}
          </div>
          {e.note ? <p className="relation-note" data-user-text>{e.note}</p> : null}
        </li>
      ))}
    </ul>
  );
}
