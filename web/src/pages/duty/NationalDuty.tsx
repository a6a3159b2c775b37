import { useI18n, useT } from '../../i18n';
import { AsyncView } from '../../ui/AsyncView';
import { DataTable } from '../../ui/DataTable';
import { MemberPicker } from '../../ui/MemberPicker';
import { useAsync } from '../../ui/useAsync';
import { useOrganisations } from '../../ui/useOrganisations';
import { dutyHref, getKevClock, type KevFigures } from './api';
import { FiguresTable, useFigure } from './common';

/**
 * The coordinator's view: the national time-to-acknowledge and time-to-fix
 * figures and each member's, and a way to one member's duty. It reads no
 * contacts and shows none.
 */
export function NationalDuty() {
  const t = useT('duty');
  const orgs = useOrganisations();
  const { formatDate } = useI18n();
  const figure = useFigure();
  const [state, retry] = useAsync((signal) => getKevClock(signal), []);
  return (
    <div className="duty-page" data-testid="duty-national">
      <section className="panel" aria-labelledby="duty-national-title">
        <h1 id="duty-national-title">{t('nationalHeading')}</h1>
        <p>{t('nationalIntro')}</p>
        <p className="note" data-testid="duty-national-privacy">
          {t('nationalPrivacy')}
        </p>
        <MemberPicker orgs={orgs} label={t('pickMember')} hrefOf={(code) => dutyHref(code)} testId="duty-picker" />
      </section>
      <section className="panel" aria-labelledby="duty-national-figures" data-testid="duty-national-figures">
        <h2 id="duty-national-figures">{t('nationalFiguresHeading')}</h2>
        <AsyncView state={state} retry={retry}>
          {(data) =>
            data.national && data.members_with_findings > 0 ? (
              <>
                <p className="duty-small">{t('kevMeasured', { at: formatDate(data.measured) })}</p>
                <FiguresTable
                  caption={t('nationalFiguresCaption')}
                  sets={[{ id: 'national', header: t('col.national'), figures: data.national }]}
                  testId="duty-national-table"
                />
              </>
            ) : (
              <p className="empty">{t('nationalEmpty')}</p>
            )
          }
        </AsyncView>
      </section>
      <section className="panel" aria-labelledby="duty-members">
        <h2 id="duty-members">{t('membersHeading')}</h2>
        <p>{t('membersIntro')}</p>
        <AsyncView state={state} retry={retry}>
          {(data) => {
            const rows: MemberRow[] = Object.entries(data.members).map(([code, figures]) => ({ code, figures }));
            return (
              <DataTable
                rows={rows}
                rowKey={(row) => row.code}
                caption={t('membersCaption')}
                className="table member-table"
                testId="duty-members"
                pageSize={50}
                empty={t('nationalEmpty')}
                initialSort={{ column: 'overdue', direction: 'descending' }}
                rowProps={(row) => ({ 'data-code': row.code })}
                columns={[
                  {
                    id: 'member',
                    header: t('col.memberName'),
                    value: (row) => orgs.nameOf(row.code),
                    rowHeader: true,
                    cell: (row) => <a href={dutyHref(row.code)}>{orgs.nameOf(row.code)}</a>,
                  },
                  { id: 'findings', header: t('col.findings'), value: (row) => row.figures.findings, format: 'number', numeric: true },
                  { id: 'overdue', header: t('col.openOverdue'), value: (row) => row.figures.open_overdue, format: 'number', numeric: true },
                  {
                    id: 'fix',
                    header: t('col.medianFix'),
                    numeric: true,
                    value: (row) => row.figures.median_days_to_fix ?? -1,
                    cell: (row) => figure(row.figures, 'median_days_to_fix'),
                  },
                  {
                    id: 'ack',
                    header: t('col.medianAck'),
                    numeric: true,
                    value: (row) => row.figures.median_minutes_to_acknowledge ?? -1,
                    cell: (row) => figure(row.figures, 'median_minutes_to_acknowledge'),
                  },
                ]}
              />
            );
          }}
        </AsyncView>
      </section>
    </div>
  );
}

interface MemberRow {
  code: string;
  figures: KevFigures;
}
