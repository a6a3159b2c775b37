import { useMemo, useRef, useState } from 'react';
import { listAllOrganisations, type Organisation } from '../../api';
import { useI18n, useT } from '../../i18n';
import { useSession } from '../../session';
import { AsyncView } from '../../ui/AsyncView';
import { DataTable } from '../../ui/DataTable';
import { useAsync } from '../../ui/useAsync';
import {
  entriesFromMapping,
  getFeedReport,
  getMapping,
  getProfile,
  type FeedEntry,
  type FeedReport,
  type ProfileView,
} from './api';
import { nameOf, useReasonLabel } from './common';
import { ConnectHelp } from './ConnectHelp';
import { HistorySection } from './HistorySection';
import { ProfileForm } from './ProfileForm';
import { TokensSection } from './TokensSection';

/** One member's protection page: mode, feed, why, profile, history, tokens and how to connect. */
export function MemberProtection({ code }: { code: string }) {
  const t = useT('protection');
  const session = useSession();
  const me = session.me;
  const own = me?.organisation.code === code;
  const canWrite = me?.role === 'admin' || (me?.role === 'member' && own);
  // A saved profile or a rollback changes the feed: every feed view reloads.
  const [feedVersion, setFeedVersion] = useState(0);
  const reload = () => setFeedVersion((n) => n + 1);
  const [orgs] = useAsync((signal) => listAllOrganisations({}, signal), []);
  const [profile, retryProfile, replaceProfile] = useAsync((signal) => getProfile(code, signal), [code]);
  const [report, retryReport] = useAsync((signal) => getFeedReport(code, signal), [code, feedVersion]);
  const [mapping, retryMapping] = useAsync((signal) => getMapping(code, signal), [code, feedVersion]);
  const names = useMemo(
    () => new Map<string, Organisation>(orgs.status === 'ok' ? orgs.data.map((org) => [org.code, org]) : []),
    [orgs],
  );
  const name = names.get(code)?.name ?? (own ? me?.organisation.name : undefined) ?? code;
  const noFeed = report.status === 'error' && report.error.status === 403;
  const lastSerial = useRef<number | null>(null);
  if (report.status === 'ok') lastSerial.current = report.data.serial;

  return (
    <div className="prot-page" data-testid="protection-member" data-code={code}>
      <section className="panel" aria-labelledby="prot-title">
        {me?.coordinator ? (
          <a className="back" href="#/protection">
            ← {t('backNational')}
          </a>
        ) : null}
        <h1 id="prot-title">{t('memberHeading', { name })}</h1>
        <p className="muted">{t('intro')}</p>
        <AsyncView state={profile} retry={retryProfile}>
          {(view) => <ModeBanner view={view} />}
        </AsyncView>
        {noFeed ? (
          <p className="prot-note" data-testid="protection-no-feed">
            {t('noFeedAccess')}
          </p>
        ) : (
          <AsyncView state={report} retry={retryReport}>
            {(data) => (
              <>
                <FeedStateBanner report={data} />
                <Facts report={data} />
              </>
            )}
          </AsyncView>
        )}
      </section>

      {noFeed ? null : (
        <>
          <section className="panel" aria-labelledby="prot-entries">
            <h2 id="prot-entries">{t('entriesHeading')}</h2>
            <p className="muted">{t('entriesIntro')}</p>
            <AsyncView state={mapping} retry={retryMapping}>
              {(data) => <EntryTable entries={entriesFromMapping(data)} orgs={names} />}
            </AsyncView>
          </section>
          <section className="panel" aria-labelledby="prot-report">
            <h2 id="prot-report">{t('reportHeading')}</h2>
            <AsyncView state={report} retry={retryReport}>
              {(data) => <ReportView report={data} />}
            </AsyncView>
          </section>
        </>
      )}

      <section className="panel" aria-labelledby="prot-profile">
        <h2 id="prot-profile">{t('profileHeading')}</h2>
        <p className="muted">{t('profileIntro')}</p>
        <AsyncView state={profile} retry={retryProfile}>
          {(view) => (
            <ProfileForm
              code={code}
              view={view}
              canWrite={canWrite}
              onSaved={(saved) => {
                replaceProfile(saved);
                reload();
              }}
            />
          )}
        </AsyncView>
      </section>

      {lastSerial.current !== null && !noFeed ? (
        // Loaded after the report, so that it shows the serial the report has just built;
        // kept mounted while the report reloads, so that its outcome messages stay.
        <HistorySection code={code} serial={lastSerial.current} canWrite={canWrite} onChanged={reload} />
      ) : null}
      {canWrite ? <TokensSection code={code} /> : null}
      {noFeed ? null : <ConnectHelp />}
    </div>
  );
}

function ModeBanner({ view }: { view: ProfileView }) {
  const t = useT('protection');
  const monitor = view.profile.monitor_only !== false;
  return (
    <div
      className={`prot-mode ${monitor ? 'prot-mode-monitor' : 'prot-mode-enforce'}`}
      data-testid="protection-mode"
      data-mode={monitor ? 'monitor' : 'enforce'}
    >
      <strong>
        <span aria-hidden="true">{monitor ? '◐ ' : '⊘ '}</span>
        {monitor ? t('modeMonitor') : t('modeEnforce')}
      </strong>
      <p>{monitor ? t('modeMonitorHelp') : t('modeEnforceHelp')}</p>
    </div>
  );
}

/** Frozen or rolled back: said above everything else. */
function FeedStateBanner({ report }: { report: FeedReport }) {
  const t = useT('protection');
  if (report.mode === 'frozen') {
    return (
      <p className="prot-warning" role="status" data-testid="protection-frozen">
        {t('frozen')}
      </p>
    );
  }
  if (report.mode === 'pinned') {
    return (
      <p className="prot-warning" role="status" data-testid="protection-pinned">
        {t('pinned', { serial: report.pinned_to ?? '—' })}
      </p>
    );
  }
  return null;
}

function Facts({ report }: { report: FeedReport }) {
  const t = useT('protection');
  const { formatNumber, formatDate } = useI18n();
  return (
    <dl className="facts prot-facts" data-testid="protection-facts">
      <div>
        <dt>{t('fact.serial')}</dt>
        <dd data-testid="protection-serial">{report.serial}</dd>
      </div>
      <div>
        <dt>{t('fact.enforced')}</dt>
        <dd data-testid="protection-enforced">{formatNumber(report.enforced)}</dd>
      </div>
      <div>
        <dt>{t('fact.monitored')}</dt>
        <dd data-testid="protection-monitored">{formatNumber(report.monitored)}</dd>
      </div>
      <div>
        <dt>{t('fact.leftOut')}</dt>
        <dd>{formatNumber(report.left_out)}</dd>
      </div>
      {report.candidates !== undefined ? (
        <div>
          <dt>{t('fact.candidates')}</dt>
          <dd>{formatNumber(report.candidates)}</dd>
        </div>
      ) : null}
      {report.generated ? (
        <div>
          <dt>{t('fact.generated')}</dt>
          <dd className="prot-small">{formatDate(report.generated)}</dd>
        </div>
      ) : null}
    </dl>
  );
}

function PartLabel({ part }: { part: 'enforce' | 'monitor' }) {
  const t = useT('protection');
  return (
    <span className={`prot-part prot-part-${part}`}>
      <span aria-hidden="true">{part === 'enforce' ? '⊘ ' : '◐ '}</span>
      {t(`part.${part}`)}
    </span>
  );
}

function EntryTable({ entries, orgs }: { entries: FeedEntry[]; orgs: ReadonlyMap<string, Organisation> }) {
  const t = useT('protection');
  const [q, setQ] = useState('');
  if (entries.length === 0) return <p className="empty">{t('entriesEmpty')}</p>;
  const needle = q.trim().toLowerCase();
  return (
    <>
      <div className="filters">
        <label className="field field--grow">
          {t('entriesSearch')}
          <input type="search" value={q} onChange={(event) => setQ(event.target.value)} data-testid="protection-entry-search" />
        </label>
      </div>
      <DataTable
        rows={entries}
        rowKey={(entry) => `${entry.part}:${entry.value}`}
        testId="protection-entries"
        ariaLabel={t('entriesHeading')}
        className="table member-table"
        pageSize={50}
        empty={t('entriesNone')}
        initialSort={{ column: 'part', direction: 'ascending' }}
        filter={
          needle
            ? (entry) =>
                entry.value.toLowerCase().includes(needle) ||
                entry.producers.some((code) => nameOf(orgs, code).toLowerCase().includes(needle))
            : undefined
        }
        rowProps={(entry) => ({ 'data-value': entry.value, 'data-part': entry.part })}
        columns={[
          {
            id: 'value',
            header: t('col.value'),
            value: (entry) => entry.value,
            rowHeader: true,
            cell: (entry) => (
              <>
                <code className="prot-value">{entry.value}</code>
                {entry.carvedFrom ? <div className="prot-small">{t('carvedFrom', { prefix: entry.carvedFrom })}</div> : null}
              </>
            ),
          },
          { id: 'type', header: t('col.type'), value: (entry) => t(`entryKind.${entry.kind}`) },
          {
            id: 'part',
            header: t('col.part'),
            value: (entry) => (entry.part === 'enforce' ? 0 : 1),
            cell: (entry) => <PartLabel part={entry.part} />,
          },
          {
            id: 'sources',
            header: t('col.sources'),
            value: (entry) => entry.producers.map((code) => nameOf(orgs, code)).join(', '),
            cell: (entry) => (
              <>
                {entry.producers.map((code) => nameOf(orgs, code)).join(', ') || t('reason.other')}
                {entry.approvals.length > 0 ? (
                  <div className="prot-small">
                    {t('approvedBy', { names: entry.approvals.map((code) => nameOf(orgs, code)).join(', ') })}
                  </div>
                ) : null}
              </>
            ),
          },
          {
            id: 'indicators',
            header: t('col.indicators'),
            sortable: false,
            cell: (entry) => (
              <ul className="prot-inline-list">
                {entry.indicators.map((id, idx) => (
                  <li key={id}>
                    <a href={`#/indicators/${encodeURIComponent(id)}`} title={id}>
                      {t('indicatorN', { n: idx + 1 })}
                    </a>
                  </li>
                ))}
              </ul>
            ),
          },
        ]}
      />
    </>
  );
}

function ReportView({ report }: { report: FeedReport }) {
  const t = useT('protection');
  const { lang, formatNumber } = useI18n();
  const label = useReasonLabel();
  const monitored = Object.entries(report.monitored_by_reason).filter(([, count]) => count > 0);
  const leftOut = Object.entries(report.left_out_by_reason).filter(([, count]) => count > 0);
  return (
    <div className="prot-report">
      <div>
        <h3>{t('monitoredHeading')}</h3>
        {monitored.length === 0 ? (
          <p className="empty">{t('nothingMonitored')}</p>
        ) : (
          <ReasonTable rows={monitored.map(([code, count]) => ({ code, label: label('monitor', code), count }))} name={t('monitoredHeading')} testId="protection-monitored-reasons" />
        )}
      </div>
      <div>
        <h3>{t('leftOutHeading')}</h3>
        {leftOut.length === 0 ? (
          <p className="empty">{t('nothingLeftOut')}</p>
        ) : (
          <ReasonTable rows={leftOut.map(([code, count]) => ({ code, label: label('reason', code), count }))} name={t('leftOutHeading')} testId="protection-left-out-reasons" />
        )}
        {report.carved_prefixes ? <p>{t('carved', { count: report.carved_prefixes })}</p> : null}
        {report.left_out_entries.length > 0 ? (
          <details className="prot-details">
            <summary>{t('leftOutList', { count: formatNumber(report.left_out_entries.length) })}</summary>
            <DataTable
              rows={report.left_out_entries}
              rowKey={(entry) => `${entry.indicator}:${entry.value}:${entry.reason}`}
              ariaLabel={t('leftOutHeading')}
              className="table member-table"
              testId="protection-left-out"
              pageSize={25}
              bare
              columns={[
                {
                  id: 'value',
                  header: t('col.value'),
                  value: (entry) => entry.value,
                  cell: (entry) => <code className="prot-value">{entry.value || t('reason.other')}</code>,
                },
                {
                  id: 'reason',
                  header: t('col.reason'),
                  value: (entry) => label('reason', entry.reason ?? ''),
                  // The hub's detail ("below 70 (42.5)") is English: shown in English only.
                  cell: (entry) => (
                    <>
                      {label('reason', entry.reason ?? '')}
                      {lang === 'en' && entry.detail ? <div className="prot-small">{entry.detail}</div> : null}
                    </>
                  ),
                },
                {
                  id: 'indicator',
                  header: t('col.indicator'),
                  sortable: false,
                  cell: (entry) =>
                    entry.indicator ? (
                      <a href={`#/indicators/${encodeURIComponent(entry.indicator)}`} title={entry.indicator}>
                        {t('col.indicator')}
                      </a>
                    ) : null,
                },
              ]}
            />
            {report.left_out_entries_truncated ? <p className="muted">{t('truncated')}</p> : null}
          </details>
        ) : null}
      </div>
    </div>
  );
}

function ReasonTable({ rows, name, testId }: { rows: { code: string; label: string; count: number }[]; name: string; testId: string }) {
  const t = useT('protection');
  const { formatNumber } = useI18n();
  return (
    <table className="table member-table prot-reasons" aria-label={name} data-testid={testId}>
      <thead>
        <tr>
          <th scope="col">{t('col.reason')}</th>
          <th scope="col" className="num">
            {t('col.count')}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.code} data-reason={row.code}>
            <th scope="row">{row.label}</th>
            <td className="num">{formatNumber(row.count)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
