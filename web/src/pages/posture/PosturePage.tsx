import { useState } from 'react';
import { ApiError } from '../../api';
import { useI18n, useT } from '../../i18n';
import type { PageProps } from '../../nav';
import { useSession } from '../../session';
import { AsyncView } from '../../ui/AsyncView';
import { DataTable } from '../../ui/DataTable';
import { MemberPicker } from '../../ui/MemberPicker';
import { SignInPrompt } from '../../ui/SignInPrompt';
import { useAsync } from '../../ui/useAsync';
import { useOrganisations } from '../../ui/useOrganisations';
import { CHECKS, getHistory, getMember, getNational, getRegressions, requestScan, type CheckName, type CheckStatus } from './api';
import './posture.css';

/**
 * #/posture: the signed-in member's domains measured from outside (DNSSEC,
 * SPF, DMARC, TLS-RPT), its regressions and each domain's history; for the
 * national coordinator the national shares and a way to any member.
 * #/posture/<code>: one member's results.
 */
export function PosturePage({ rest }: PageProps) {
  const session = useSession();
  const t = useT('posture');
  if (!session.me) return <SignInPrompt title={t('title')} intro={t('intro')} link={t('signIn')} />;
  const [code] = rest;
  if (code) return <MemberPosture key={code} code={code} />;
  if (session.me.coordinator) return <NationalPosture />;
  return <MemberPosture key={session.me.organisation.code} code={session.me.organisation.code} />;
}

/** A check's name in words; a name the page does not know stays as the hub gives it. */
function useCheckLabel(): (check: string) => string {
  const t = useT('posture');
  return (check) => ((CHECKS as readonly string[]).includes(check) ? t(`check.${check as CheckName}`) : check);
}

/** A verdict in words with a symbol: never the colour alone. */
function StatusLabel({ status }: { status: CheckStatus }) {
  const t = useT('posture');
  const symbol = { pass: '✓', warn: '!', fail: '✗', error: '?' }[status];
  return (
    <span className={`pst-status pst-${status}`} data-status={status}>
      <span aria-hidden="true">{symbol}</span> {t(`status.${status}`)}
    </span>
  );
}

function MemberPosture({ code }: { code: string }) {
  const t = useT('posture');
  const { me } = useSession();
  const orgs = useOrganisations();
  const checkLabel = useCheckLabel();
  const own = me?.organisation.code === code;
  const name = own ? (me?.organisation.name ?? code) : orgs.nameOf(code);
  const [results, retry] = useAsync((signal) => getMember(code, signal), [code]);
  const [regressions, retryRegressions] = useAsync((signal) => getRegressions(code, signal), [code]);
  const [domain, setDomain] = useState('');
  const [history, retryHistory] = useAsync(
    (signal) => (domain ? getHistory(code, domain, signal) : Promise.resolve(null)),
    [code, domain],
  );
  const [scanMessage, setScanMessage] = useState('');
  const refused = results.status === 'error' && results.error.status === 403;
  const unknown = results.status === 'error' && results.error.kind === 'not_found';
  const mayScan = me?.coordinator || (own && me?.role === 'member');

  const scan = async () => {
    try {
      await requestScan(code);
      setScanMessage(t('scanQueued'));
    } catch (error) {
      const status = error instanceof ApiError ? error.status : null;
      setScanMessage(status === 429 ? t('scanTooSoon') : status === 409 ? t('scanNoDomain') : t('scanFailed'));
    }
  };

  const rows =
    results.status === 'ok'
      ? results.data.domains.flatMap((scanned) =>
          scanned.checks.map((check) => ({ ...check, domain: scanned.domain, measured_at: scanned.measured_at })),
        )
      : [];

  return (
    <div className="pst-page" data-testid="posture-member" data-code={code}>
      <section className="panel" aria-labelledby="pst-title">
        {me?.coordinator ? (
          <a className="back" href="#/posture">
            ← {t('backNational')}
          </a>
        ) : null}
        <h1 id="pst-title">{t('memberHeading', { name })}</h1>
        <p>{t('intro')}</p>
        {refused ? (
          <p className="warning" role="alert" data-testid="posture-refused">
            {t('refused')}
          </p>
        ) : unknown ? (
          <p className="warning" role="alert">
            {t('unknownMember', { code })}
          </p>
        ) : (
          <>
            <p>
              {t('provenNote')} <a href={own ? '#/register' : `#/register/${encodeURIComponent(code)}`}>{t('registerLink')}</a>
            </p>
            {mayScan ? (
              <p>
                <button type="button" onClick={() => void scan()} data-testid="posture-scan">
                  {t('scanNow')}
                </button>{' '}
                <span role="status" data-testid="posture-scan-message">
                  {scanMessage}
                </span>
              </p>
            ) : null}
          </>
        )}
      </section>

      {refused || unknown ? null : (
        <>
          <section className="panel" aria-labelledby="pst-results">
            <h2 id="pst-results">{t('resultsHeading')}</h2>
            <AsyncView state={results} retry={retry}>
              {(data) => (
                <>
                  {data.not_yet_measured.length > 0 ? (
                    <p data-testid="posture-unmeasured">
                      {t('notYetMeasured', { domains: data.not_yet_measured.join(', ') })}
                    </p>
                  ) : null}
                  <DataTable
                    rows={rows}
                    rowKey={(row) => `${row.domain}/${row.check}`}
                    ariaLabel={t('resultsHeading')}
                    className="table"
                    testId="posture-table"
                    empty={t('resultsEmpty')}
                    rowProps={(row) => ({ 'data-domain': row.domain, 'data-check': row.check, 'data-status': row.status })}
                    columns={[
                      { id: 'domain', header: t('col.domain'), value: (row) => row.domain, rowHeader: true },
                      { id: 'check', header: t('col.check'), value: (row) => checkLabel(row.check) },
                      { id: 'status', header: t('col.status'), value: (row) => row.status, cell: (row) => <StatusLabel status={row.status} /> },
                      {
                        id: 'reason',
                        header: t('col.reason'),
                        value: (row) => row.reasons[0] ?? '',
                        cell: (row) => (
                          <span lang="en" className="pst-reason">
                            {row.reasons[0] ?? ''}
                          </span>
                        ),
                      },
                      { id: 'measured', header: t('col.measured'), value: (row) => row.measured_at, format: 'datetime' },
                    ]}
                  />
                  <p className="pst-note">{t('reasonNote')}</p>
                </>
              )}
            </AsyncView>
          </section>

          <section className="panel" aria-labelledby="pst-regressions">
            <h2 id="pst-regressions">{t('regressionsHeading')}</h2>
            <p>{t('regressionsIntro')}</p>
            <AsyncView state={regressions} retry={retryRegressions}>
              {(data) => (
                <DataTable
                  rows={data.regressions}
                  rowKey={(row) => row.id}
                  ariaLabel={t('regressionsHeading')}
                  className="table"
                  testId="posture-regressions"
                  empty={t('regressionsEmpty')}
                  initialSort={{ column: 'measured', direction: 'descending' }}
                  columns={[
                    { id: 'measured', header: t('col.measured'), value: (row) => row.measured_at, format: 'datetime' },
                    { id: 'domain', header: t('col.domain'), value: (row) => row.domain },
                    { id: 'check', header: t('col.check'), value: (row) => checkLabel(row.check) },
                    {
                      id: 'change',
                      header: t('col.change'),
                      value: (row) => `${row.from} ${row.to}`,
                      cell: (row) => (
                        <>
                          <StatusLabel status={row.from} /> → <StatusLabel status={row.to} />
                        </>
                      ),
                    },
                  ]}
                />
              )}
            </AsyncView>
          </section>

          <section className="panel" aria-labelledby="pst-history">
            <h2 id="pst-history">{t('historyHeading')}</h2>
            <label className="field">
              {t('historyDomain')}
              <select value={domain} onChange={(event) => setDomain(event.target.value)} data-testid="posture-history-domain">
                <option value="">{t('historyChoose')}</option>
                {results.status === 'ok'
                  ? results.data.domains.map((scanned) => (
                      <option key={scanned.domain} value={scanned.domain}>
                        {scanned.domain}
                      </option>
                    ))
                  : null}
              </select>
            </label>
            {domain ? (
              <AsyncView state={history} retry={retryHistory}>
                {(data) =>
                  data ? (
                    <DataTable
                      rows={data.history}
                      rowKey={(row) => `${row.measured_at}/${row.check}`}
                      ariaLabel={t('historyTable', { domain })}
                      className="table"
                      testId="posture-history"
                      initialSort={{ column: 'measured', direction: 'descending' }}
                      columns={[
                        { id: 'measured', header: t('col.measured'), value: (row) => row.measured_at, format: 'datetime' },
                        { id: 'check', header: t('col.check'), value: (row) => checkLabel(row.check) },
                        { id: 'status', header: t('col.status'), value: (row) => row.status, cell: (row) => <StatusLabel status={row.status} /> },
                      ]}
                    />
                  ) : null
                }
              </AsyncView>
            ) : null}
            <p className="pst-note">{t('historyNote')}</p>
          </section>
        </>
      )}
    </div>
  );
}

function NationalPosture() {
  const t = useT('posture');
  const { formatNumber } = useI18n();
  const orgs = useOrganisations();
  const checkLabel = useCheckLabel();
  const [national, retry] = useAsync((signal) => getNational(signal), []);
  return (
    <div className="pst-page" data-testid="posture-national">
      <section className="panel" aria-labelledby="pst-title">
        <h1 id="pst-title">{t('title')}</h1>
        <p>{t('intro')}</p>
        <MemberPicker orgs={orgs} label={t('pickMember')} hrefOf={(code) => `#/posture/${encodeURIComponent(code)}`} testId="posture-picker" />
      </section>
      <section className="panel" aria-labelledby="pst-national">
        <h2 id="pst-national">{t('nationalHeading')}</h2>
        <p>{t('nationalIntro')}</p>
        <AsyncView state={national} retry={retry}>
          {(data) => (
            <DataTable
              rows={data.checks.filter((row) => (CHECKS as readonly string[]).includes(row.check))}
              rowKey={(row) => row.check}
              ariaLabel={t('nationalHeading')}
              className="table"
              testId="posture-national-table"
              rowProps={(row) => ({ 'data-check': row.check, 'data-hidden': row.hidden })}
              columns={[
                { id: 'check', header: t('col.check'), value: (row) => checkLabel(row.check), rowHeader: true },
                { id: 'members', header: t('col.members'), value: (row) => row.members, format: 'number', numeric: true },
                {
                  id: 'passing',
                  header: t('col.passing'),
                  value: (row) => row.passing ?? null,
                  numeric: true,
                  cell: (row) => (row.passing === null ? t('hidden') : formatNumber(row.passing)),
                },
                {
                  id: 'failing',
                  header: t('col.failing'),
                  value: (row) => row.failing ?? null,
                  numeric: true,
                  cell: (row) => (row.failing === null ? t('hidden') : formatNumber(row.failing)),
                },
              ]}
            />
          )}
        </AsyncView>
      </section>
    </div>
  );
}
