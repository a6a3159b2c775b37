import { useId, useState } from 'react';
import { useI18n, useT } from '../../i18n';
import { useSession } from '../../session';
import { AsyncView } from '../../ui/AsyncView';
import { DataTable } from '../../ui/DataTable';
import { HubDetail } from '../../ui/HubDetail';
import { useAction } from '../../ui/useAction';
import { useAsync } from '../../ui/useAsync';
import { getNotice, noticeHref, SEVERITIES, setNoticeStatus, type Notice, type NoticeRow, type NoticeStatus } from './api';
import { ReportType, SeverityLabel, StatusLabel, TlpAmber, useTypeLabel } from './common';

/** One notice: what it is, TLP:AMBER, the member's status buttons with a comment, the status history and the rows. */
export function NoticeDetail({ code, id }: { code: string; id: string }) {
  const t = useT('notices');
  const { me } = useSession();
  const [state, retry] = useAsync((signal) => getNotice(code, id, signal), [code, id]);
  const typeLabel = useTypeLabel();
  const title = state.status === 'ok' ? t('noticeHeading', { type: typeLabel(state.data.report_type) }) : t('title');
  return (
    <div className="ntc-page" data-testid="notices-notice" data-id={id}>
      <section className="panel" aria-labelledby="ntc-notice-title">
        <a className="back" href={me?.organisation.code === code ? '#/notices' : noticeHref(code)}>
          ← {t('backList')}
        </a>
        <h1 id="ntc-notice-title">{title}</h1>
        <AsyncView
          state={state}
          retry={retry}
          error={(error) => {
            if (error.status === 403) {
              return (
                <p className="warning" role="alert" data-testid="notices-refused">
                  {t('refused')}
                </p>
              );
            }
            if (error.kind === 'not_found') {
              return (
                <p className="warning" role="alert" data-testid="notices-unknown">
                  {t('noticeUnknown')}
                </p>
              );
            }
            return undefined;
          }}
        >
          {() => <TlpAmber />}
        </AsyncView>
      </section>
      {state.status === 'ok' ? <NoticeView key={id} code={code} initial={state.data} /> : null}
    </div>
  );
}

function NoticeView({ code, initial }: { code: string; initial: Notice }) {
  const t = useT('notices');
  const { me } = useSession();
  const [notice, setNotice] = useState(initial);
  const canWrite = me?.role === 'admin' || (me?.role === 'member' && me.organisation.code === code);
  return (
    <>
      <section className="panel" aria-label={t('listHeading')}>
        <NoticeFacts notice={notice} />
      </section>
      <StatusSection
        code={code}
        notice={notice}
        canWrite={canWrite}
        // The answer to a status change has no rows: they stay as loaded.
        onChanged={(changed) => setNotice((old) => ({ ...changed, rows: old.rows, rows_left_out: old.rows_left_out }))}
      />
      <RowsSection notice={notice} />
    </>
  );
}

function NoticeFacts({ notice }: { notice: Notice }) {
  const t = useT('notices');
  const { formatDate, formatNumber } = useI18n();
  return (
    <dl className="facts ntc-facts" data-testid="notices-facts">
      <div>
        <dt>{t('fact.status')}</dt>
        <dd data-testid="notices-status">
          <StatusLabel status={notice.status} />
        </dd>
      </div>
      <div>
        <dt>{t('col.type')}</dt>
        <dd>
          <ReportType type={notice.report_type} />
        </dd>
      </div>
      <div>
        <dt>{t('fact.received')}</dt>
        <dd>{formatDate(notice.received)}</dd>
      </div>
      <div>
        <dt>{t('fact.source')}</dt>
        <dd data-testid="notices-source">{notice.source}</dd>
      </div>
      {notice.origin ? (
        <div>
          <dt>{t('fact.origin')}</dt>
          <dd>
            <code className="ntc-code">{notice.origin}</code>
          </dd>
        </div>
      ) : null}
      <div>
        <dt>{t('fact.severity')}</dt>
        <dd>
          <SeverityLabel severity={notice.severity} />
        </dd>
      </div>
      <div>
        <dt>{t('fact.rows')}</dt>
        <dd>{formatNumber(notice.row_count)}</dd>
      </div>
    </dl>
  );
}

const ACTIONS: readonly NoticeStatus[] = ['acknowledged', 'resolved', 'not_ours', 'open'];

function StatusSection({
  code,
  notice,
  canWrite,
  onChanged,
}: {
  code: string;
  notice: Notice;
  canWrite: boolean;
  onChanged: (notice: Notice) => void;
}) {
  const t = useT('notices');
  const { formatDate } = useI18n();
  const id = useId();
  const [comment, setComment] = useState('');
  const change = useAction(async (status: NoticeStatus) => {
    const changed = await setNoticeStatus(code, notice.id, status, comment.trim());
    onChanged(changed);
    setComment('');
    return changed;
  });
  const history = notice.status_history ?? [];
  return (
    <section className="panel" aria-labelledby="ntc-status" data-testid="notices-status-section">
      <h2 id="ntc-status">{t('statusHeading')}</h2>
      <p>{t('statusIntro')}</p>
      {canWrite ? (
        <div className="form">
          <div className="form-field">
            <label htmlFor={`${id}-comment`}>{t('f.comment')}</label>
            <span className="form-help" id={`${id}-comment-help`}>
              {t('f.commentHelp')}
            </span>
            <textarea
              id={`${id}-comment`}
              rows={2}
              maxLength={2000}
              value={comment}
              aria-describedby={`${id}-comment-help`}
              onChange={(event) => setComment(event.target.value)}
              data-testid="notices-comment"
            />
          </div>
          <div className="form-actions" role="group" aria-label={t('statusHeading')}>
            {ACTIONS.filter((status) => status !== notice.status).map((status) => (
              <button
                key={status}
                type="button"
                className={status === 'open' ? 'button-secondary' : undefined}
                disabled={change.pending}
                onClick={() => void change.run(status)}
                data-testid={`notices-set-${status}`}
              >
                {t(`action.${status}`)}
              </button>
            ))}
          </div>
        </div>
      ) : (
        <p className="form-help">{t('statusReadOnly')}</p>
      )}
      <AsyncView
        state={change.state}
        loading={null}
        error={(error) => (
          <div className="error" role="alert">
            <p>{t('statusRefused')}</p>
            <HubDetail message={error.serverMessage} always />
          </div>
        )}
      >
        {(changed) => (
          <p role="status" className="form-ok" data-testid="notices-status-saved">
            {t('statusSaved', { status: t(`status.${changed.status}`) })}
          </p>
        )}
      </AsyncView>
      {history.length > 0 ? (
        <>
          <h3>{t('statusHistory')}</h3>
          <ol className="ntc-status-history" data-testid="notices-status-history">
            {history.map((entry) => (
              <li key={`${entry.at}:${entry.status}`}>
                {t('statusChange', {
                  status: t(`status.${entry.status}`),
                  at: formatDate(entry.at),
                  by: entry.by,
                })}
                {entry.comment ? <q className="ntc-comment">{entry.comment}</q> : null}
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </section>
  );
}

function RowsSection({ notice }: { notice: Notice }) {
  const t = useT('notices');
  const [q, setQ] = useState('');
  const rows = notice.rows ?? [];
  const needle = q.trim().toLowerCase();
  const matches = (row: NoticeRow) =>
    [row.address, row.domain, row.asn?.toString(), row.port?.toString(), ...Object.values(row.fields)]
      .filter((value): value is string => value !== undefined)
      .some((value) => value.toLowerCase().includes(needle));
  return (
    <section className="panel" aria-labelledby="ntc-rows" data-testid="notices-rows">
      <h2 id="ntc-rows">{t('rowsHeading')}</h2>
      <p>{t('rowsIntro')}</p>
      <div className="filters">
        <label className="field field--grow">
          {t('rowsSearch')}
          <input type="search" value={q} onChange={(event) => setQ(event.target.value)} data-testid="notices-row-search" />
        </label>
      </div>
      <DataTable
        rows={rows}
        rowKey={(row) => row.key}
        ariaLabel={t('rowsHeading')}
        className="table member-table ntc-rows"
        testId="notices-row-table"
        pageSize={50}
        filter={needle ? matches : undefined}
        rowProps={(row) => ({ 'data-address': row.address ?? '', 'data-domain': row.domain ?? '' })}
        columns={[
          {
            id: 'address',
            header: t('col.address'),
            value: (row) => row.address ?? '',
            rowHeader: true,
            cell: (row) => (row.address ? <code className="ntc-code">{row.address}</code> : '—'),
          },
          { id: 'port', header: t('col.port'), value: (row) => row.port, numeric: true },
          { id: 'asn', header: t('col.asn'), value: (row) => row.asn, numeric: true },
          {
            id: 'domain',
            header: t('col.domain'),
            value: (row) => row.domain ?? '',
            cell: (row) =>
              row.domain ? (
                <>
                  <code className="ntc-code">{row.domain}</code>
                  {row.domain_source === 'reverse_dns' ? <span className="ntc-small"> {t('reverseDns')}</span> : null}
                </>
              ) : (
                '—'
              ),
          },
          { id: 'time', header: t('col.time'), value: (row) => row.timestamp ?? '', format: 'datetime' },
          {
            id: 'severity',
            header: t('col.severity'),
            value: (row) => SEVERITIES.indexOf(row.severity),
            cell: (row) => <SeverityLabel severity={row.severity} />,
          },
          {
            id: 'matched',
            header: t('col.matched'),
            value: (row) => row.matched?.key ?? '',
            cell: (row) => (row.matched ? t(`matched.${row.matched.kind}`, { key: row.matched.key }) : '—'),
          },
          {
            id: 'fields',
            header: t('col.fields'),
            sortable: false,
            cell: (row) => <RowFields fields={row.fields} />,
          },
        ]}
      />
      {notice.rows_left_out ? <p className="ntc-small">{t('rowsLeftOut', { n: notice.rows_left_out })}</p> : null}
    </section>
  );
}

function RowFields({ fields }: { fields: Record<string, string> }) {
  const t = useT('notices');
  const entries = Object.entries(fields);
  if (entries.length === 0) return <>—</>;
  return (
    <details className="ntc-fields">
      <summary>{t('showFields', { n: entries.length })}</summary>
      <dl>
        {entries.map(([name, value]) => (
          <div key={name}>
            <dt>
              <code>{name}</code>
            </dt>
            <dd>
              <code>{value}</code>
            </dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
