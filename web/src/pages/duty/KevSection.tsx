import { useI18n, useT } from '../../i18n';
import { AsyncView } from '../../ui/AsyncView';
import { DataTable } from '../../ui/DataTable';
import { DueDate } from '../../ui/DueDate';
import { FeedsFreshness } from '../vulnerabilities/StaleFeeds';
import { useAsync } from '../../ui/useAsync';
import { getKevClock, type KevFinding } from './api';
import { FiguresTable } from './common';

/** The KEV-to-fix clock of one member: its figures (beside the national ones when the hub shows them) and each finding. */
export function KevSection({ code }: { code: string }) {
  const t = useT('duty');
  const { formatDate } = useI18n();
  const [state, retry] = useAsync((signal) => getKevClock(signal), []);
  return (
    <section className="panel" aria-labelledby="duty-kev" data-testid="duty-kev">
      <h2 id="duty-kev">{t('kevHeading')}</h2>
      <p>{t('kevIntro')}</p>
      <FeedsFreshness />
      <AsyncView state={state} retry={retry}>
        {(data) => {
          const member = data.members[code];
          const sets = [{ id: 'member', header: t('col.member'), figures: member }];
          if (data.national) sets.push({ id: 'national', header: t('col.national'), figures: data.national });
          return (
            <>
              <p className="duty-small">{t('kevMeasured', { at: formatDate(data.measured) })}</p>
              {member ? (
                <>
                  <FiguresTable caption={t('kevFiguresCaption')} sets={sets} testId="duty-kev-figures" />
                  {data.national ? null : (
                    <p className="duty-small">{t('kevNationalHidden', { count: data.members_with_findings })}</p>
                  )}
                  <KevFindings findings={member.findings_detail ?? []} />
                </>
              ) : (
                <p className="empty" data-testid="duty-kev-empty">
                  {t('kevEmpty')}
                </p>
              )}
            </>
          );
        }}
      </AsyncView>
    </section>
  );
}

function KevFindings({ findings }: { findings: KevFinding[] }) {
  const t = useT('duty');
  const { formatDate } = useI18n();
  const date = (at: string | null | undefined, style: 'date' | 'datetime' = 'datetime') => (at ? formatDate(at, style) : '—');
  return (
    <DataTable
      rows={findings}
      rowKey={(finding) => `${finding.cve}|${finding.asset_id}`}
      caption={t('kevFindingsCaption')}
      className="table member-table"
      testId="duty-kev-findings"
      pageSize={25}
      initialSort={{ column: 'kev_added', direction: 'descending' }}
      rowProps={(finding) => ({ 'data-cve': finding.cve, 'data-asset': finding.asset_id })}
      columns={[
        {
          id: 'cve',
          header: t('col.cve'),
          value: (finding) => finding.cve,
          rowHeader: true,
          cell: (finding) => <code>{finding.cve}</code>,
        },
        { id: 'asset', header: t('col.asset'), value: (finding) => finding.asset_id, cell: (finding) => <code>{finding.asset_id}</code> },
        { id: 'kev_added', header: t('col.kevAdded'), value: (finding) => finding.kev_added ?? '', cell: (finding) => date(finding.kev_added, 'date') },
        {
          id: 'due',
          header: t('col.due'),
          value: (finding) => finding.due ?? '',
          cell: (finding) => <DueDate at={finding.due} done={Boolean(finding.decision)} />,
        },
        { id: 'detected', header: t('col.detected'), value: (finding) => finding.detected ?? '', cell: (finding) => date(finding.detected) },
        { id: 'notified', header: t('col.notified'), value: (finding) => finding.notified ?? '', cell: (finding) => date(finding.notified) },
        {
          id: 'acknowledged',
          header: t('col.acknowledged'),
          value: (finding) => finding.acknowledged ?? '',
          cell: (finding) => date(finding.acknowledged),
        },
        {
          id: 'decided',
          header: t('col.decided'),
          value: (finding) => finding.decided ?? '',
          cell: (finding) =>
            finding.decision ? (
              <span data-decision={finding.decision}>{t('decided', { decision: t(`decision.${finding.decision}`), at: date(finding.decided) })}</span>
            ) : (
              <span data-decision="open">{t('open')}</span>
            ),
        },
      ]}
    />
  );
}
