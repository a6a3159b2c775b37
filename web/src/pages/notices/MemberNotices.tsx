import { useState } from 'react';
import { useI18n, useT } from '../../i18n';
import { replaceQuery } from '../../nav';
import { useSession } from '../../session';
import { AsyncView } from '../../ui/AsyncView';
import { DataTable } from '../../ui/DataTable';
import { useAsync } from '../../ui/useAsync';
import { useOrganisations } from '../../ui/useOrganisations';
import { getHistory, isStatus, listNotices, noticeHref, SEVERITIES, STATUSES, type HistoryType, type NoticeStatus } from './api';
import { ReportType, SeverityLabel, StatusLabel, TlpAmber, useTypeLabel } from './common';

/** One member's notices, newest first, with filters kept in the address, and the history per report type. */
export function MemberNotices({ code, query, path }: { code: string; query: URLSearchParams; path: string }) {
  const t = useT('notices');
  const { me } = useSession();
  const orgs = useOrganisations();
  const own = me?.organisation.code === code;
  const name = own ? (me?.organisation.name ?? code) : orgs.nameOf(code);
  const initialStatus = query.get('status') ?? '';
  const [status, setStatus] = useState<NoticeStatus | ''>(isStatus(initialStatus) ? initialStatus : '');
  const [type, setType] = useState(query.get('report_type') ?? '');
  const [notices, retry] = useAsync(
    (signal) => listNotices(code, { status: status || undefined, report_type: type || undefined }, signal),
    [code, status, type],
  );
  const [history, retryHistory] = useAsync((signal) => getHistory(code, signal), [code]);
  const refused = notices.status === 'error' && notices.error.status === 403;
  const unknown = notices.status === 'error' && notices.error.kind === 'not_found';

  const setFilter = (nextStatus: NoticeStatus | '', nextType: string) => {
    setStatus(nextStatus);
    setType(nextType);
    const params = new URLSearchParams();
    if (nextStatus) params.set('status', nextStatus);
    if (nextType) params.set('report_type', nextType);
    replaceQuery(path, params);
  };
  const types = history.status === 'ok' ? history.data.report_types.map((entry) => entry.report_type) : [];
  const typeLabel = useTypeLabel();

  return (
    <div className="ntc-page" data-testid="notices-member" data-code={code}>
      <section className="panel" aria-labelledby="ntc-title">
        {me?.coordinator ? (
          <a className="back" href="#/notices">
            ← {t('backNational')}
          </a>
        ) : null}
        <h1 id="ntc-title">{t('memberHeading', { name })}</h1>
        <p>{t('intro')}</p>
        {refused ? (
          <p className="warning" role="alert" data-testid="notices-refused">
            {t('refused')}
          </p>
        ) : unknown ? (
          <p className="warning" role="alert" data-testid="notices-unknown">
            {t('unknownMember', { code })}
          </p>
        ) : (
          <>
            <TlpAmber />
            <p className="ntc-register">
              {t('registerNote')}{' '}
              <a href={own ? '#/register' : `#/register/${encodeURIComponent(code)}`}>{t('registerLink')}</a>
            </p>
          </>
        )}
      </section>

      {refused || unknown ? null : (
        <>
          <section className="panel" aria-labelledby="ntc-list">
            <h2 id="ntc-list">{t('listHeading')}</h2>
            <div className="filters">
              <label className="field">
                {t('filterStatus')}
                <select
                  value={status}
                  onChange={(event) => setFilter(isStatus(event.target.value) ? event.target.value : '', type)}
                  data-testid="notices-status-filter"
                >
                  <option value="">{t('all')}</option>
                  {STATUSES.map((s) => (
                    <option key={s} value={s}>
                      {t(`status.${s}`)}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field">
                {t('filterType')}
                <select value={type} onChange={(event) => setFilter(status, event.target.value)} data-testid="notices-type-filter">
                  <option value="">{t('all')}</option>
                  {[...new Set([...types, ...(type ? [type] : [])])].map((reportType) => (
                    <option key={reportType} value={reportType}>
                      {typeLabel(reportType)}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <AsyncView state={notices} retry={retry}>
              {(data) => (
                <DataTable
                  rows={data.notices}
                  rowKey={(notice) => notice.id}
                  ariaLabel={t('listHeading')}
                  className="table member-table"
                  testId="notices-table"
                  pageSize={25}
                  empty={status || type ? t('listNone') : t('listEmpty')}
                  initialSort={{ column: 'received', direction: 'descending' }}
                  rowProps={(notice) => ({ 'data-id': notice.id, 'data-status': notice.status, 'data-type': notice.report_type })}
                  columns={[
                    {
                      id: 'received',
                      header: t('col.received'),
                      value: (notice) => notice.received,
                      format: 'datetime',
                    },
                    {
                      id: 'type',
                      header: t('col.type'),
                      value: (notice) => typeLabel(notice.report_type),
                      rowHeader: true,
                      cell: (notice) => (
                        <a href={noticeHref(code, notice.id)} data-testid="notices-open">
                          <ReportType type={notice.report_type} />
                        </a>
                      ),
                    },
                    { id: 'source', header: t('col.source'), value: (notice) => notice.source },
                    {
                      id: 'severity',
                      header: t('col.severity'),
                      value: (notice) => SEVERITIES.indexOf(notice.severity),
                      cell: (notice) => <SeverityLabel severity={notice.severity} />,
                    },
                    { id: 'rows', header: t('col.rows'), value: (notice) => notice.row_count, format: 'number', numeric: true },
                    {
                      id: 'status',
                      header: t('col.status'),
                      value: (notice) => STATUSES.indexOf(notice.status),
                      cell: (notice) => <StatusLabel status={notice.status} />,
                    },
                  ]}
                />
              )}
            </AsyncView>
          </section>

          <section className="panel" aria-labelledby="ntc-history" data-testid="notices-history">
            <h2 id="ntc-history">{t('historyHeading')}</h2>
            <p>{t('historyIntro')}</p>
            <AsyncView
              state={history}
              retry={retryHistory}
              isEmpty={(data) => data.report_types.length === 0}
              empty={<p className="empty">{t('historyEmpty')}</p>}
            >
              {(data) => (
                <div className="ntc-history">
                  {data.report_types.map((entry) => (
                    <HistoryTable key={entry.report_type} entry={entry} />
                  ))}
                </div>
              )}
            </AsyncView>
          </section>
        </>
      )}
    </div>
  );
}

/** One report type's rows per month: a table whose bars only repeat the numbers beside them. */
function HistoryTable({ entry }: { entry: HistoryType }) {
  const t = useT('notices');
  const typeLabel = useTypeLabel();
  const { formatNumber, formatDate, locale } = useI18n();
  const most = Math.max(1, ...entry.by_month.map((month) => month.rows));
  const monthName = (month: string) =>
    new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
  return (
    <div className="ntc-history-type" data-type={entry.report_type}>
      <h3>
        <ReportType type={entry.report_type} />
      </h3>
      <p className="ntc-small">
        {t('historySummary', {
          notices: formatNumber(entry.notices),
          rows: formatNumber(entry.rows),
          open: formatNumber(entry.open),
          first: formatDate(entry.first_received, 'date'),
          last: formatDate(entry.last_received, 'date'),
        })}
      </p>
      <table className="table member-table ntc-chart">
        <caption>{t('historyCaption', { type: typeLabel(entry.report_type) })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('col.month')}</th>
            <th scope="col" className="num">
              {t('col.monthRows')}
            </th>
          </tr>
        </thead>
        <tbody>
          {entry.by_month.map((month) => (
            <tr key={month.month} data-month={month.month}>
              <th scope="row">{monthName(month.month)}</th>
              <td className="num">
                <span className="ntc-bar" aria-hidden="true" style={{ width: `${(month.rows / most) * 100}%` }} />
                <span className="ntc-bar-value">{formatNumber(month.rows)}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
