import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { Loading } from '../../ui/Loading';
import { useI18n, useT } from '../../i18n';
import { useSession } from '../../session';
import { useAsync } from '../../ui/useAsync';
import type { PageProps } from '../../nav';
import {
  getCveExposure,
  getFeeds,
  getInventory,
  getMemberExposure,
  importAssets,
  listExposure,
  putDecision,
  type Finding,
} from './api';
import './vuln.css';

export function VulnerabilitiesPage({ rest, query }: PageProps) {
  const session = useSession();
  const t = useT('vulnerabilities');
  if (!session.me) {
    return (
      <section className="panel">
        <h1>{t('title')}</h1>
        <p>
          <a href="#/login">{t('signIn')}</a>
        </p>
      </section>
    );
  }
  if (rest[0] === 'assets') {
    const code = rest[1] || session.me.organisation.code;
    return <AssetsPage key={code} code={code} />;
  }
  if (rest[0]) return <CvePage key={rest[0]} cve={rest[0].toUpperCase()} />;
  return <ExposureListPage initialQuery={query.get('q') ?? ''} />;
}

function Kev({ kev, ransomware }: { kev: boolean; ransomware?: boolean }) {
  const t = useT('vulnerabilities');
  if (!kev) return null;
  return (
    <span className="vuln-kev" data-testid="kev-badge" title={ransomware ? t('ransomware') : undefined}>
      {t('kev')}
      {ransomware ? ' ⚠' : ''}
    </span>
  );
}

function Score({ value, digits }: { value: number | null | undefined; digits: number }) {
  const { formatNumber } = useI18n();
  if (value === null || value === undefined) return <span className="muted">—</span>;
  return <>{formatNumber(value, digits)}</>;
}

/** The library's blind-spot reasons (vuln/asset.cpp BlindSpotReason), in the reader's language. */
function useBlindReason() {
  const t = useT('vulnerabilities');
  return (reason: string) => {
    if (reason.startsWith('no CPE')) return t('blind.none');
    if (reason.startsWith('CPE vendor is')) return t('blind.vendor');
    if (reason.startsWith('CPE product is')) return t('blind.product');
    if (reason.startsWith('CPE vendor or product has')) return t('blind.wildcard');
    return reason;
  };
}

function StatusBadge({ status }: { status: Finding['status'] }) {
  const t = useT('vulnerabilities');
  return <span className={`vuln-status vuln-status-${status}`}>{t(`status.${status}`)}</span>;
}

function Feeds() {
  const t = useT('vulnerabilities');
  const [state] = useAsync((signal) => getFeeds(signal), []);
  if (state.status !== 'ok') return null;
  if (state.data.sources.length === 0) return <p className="muted">{t('feedsNone')}</p>;
  return (
    <p className="muted vuln-feeds" data-testid="vuln-feeds">
      {t('feeds')}:{' '}
      {state.data.sources
        .map((s) => `${s.source} (${s.records}${s.source_date ? `, ${s.source_date.slice(0, 10)}` : ''})`)
        .join(' · ')}
    </p>
  );
}

function ExposureListPage({ initialQuery }: { initialQuery: string }) {
  const t = useT('vulnerabilities');
  const session = useSession();
  const me = session.me!;
  const [q, setQ] = useState(initialQuery);
  const [state, retry] = useAsync((signal) => listExposure(q.trim().toUpperCase(), signal), [q, session.token]);
  return (
    <section className="panel" data-testid="vuln-list">
      <h1>{t('title')}</h1>
      <p className="muted">{me.coordinator ? t('introNational') : t('introMember')}</p>
      {!me.coordinator && (
        <p>
          <a href={`#/vulnerabilities/assets/${encodeURIComponent(me.organisation.code)}`} data-testid="my-assets">
            {t('myAssets')}
          </a>
        </p>
      )}
      <Feeds />
      <div className="filters">
        <label>
          {t('search')}
          <input
            type="search"
            value={q}
            placeholder={t('searchPlaceholder')}
            onChange={(event) => setQ(event.target.value)}
            data-testid="vuln-search"
          />
        </label>
      </div>
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <ErrorMessage error={state.error} onRetry={retry} />}
      {state.status === 'ok' && (
        <>
          <p className="muted" role="status">
            {t('shown', { count: state.data.items.length, total: state.data.total ?? state.data.items.length })}
          </p>
          {state.data.items.length === 0 ? (
            <p>{t('empty')}</p>
          ) : (
            <div className="table-wrap">
              <table className="table" data-testid="vuln-table">
                <thead>
                  <tr>
                    <th>{t('col.cve')}</th>
                    <th>{t('col.priority')}</th>
                    <th>{t('col.epss')}</th>
                    <th>{t('col.cvss')}</th>
                    <th>{t('col.members')}</th>
                    <th>{t('col.assets')}</th>
                    <th>{t('col.due')}</th>
                  </tr>
                </thead>
                <tbody>
                  {state.data.items.map((item) => (
                    <tr key={item.cve} data-cve={item.cve}>
                      <td>
                        <a href={`#/vulnerabilities/${encodeURIComponent(item.cve)}`}>{item.cve}</a>
                        <div className="vuln-desc">{item.description}</div>
                      </td>
                      <td>
                        <Kev kev={item.kev} ransomware={item.ransomware} /> {item.severity}
                      </td>
                      <td>
                        <Score value={item.epss} digits={3} />
                      </td>
                      <td>
                        <Score value={item.cvss} digits={1} />
                      </td>
                      <td data-testid="vuln-members">
                        {item.members.map((m) => (
                          <span key={m.code} className={m.open ? 'vuln-member open' : 'vuln-member'} title={m.code}>
                            {m.name}
                          </span>
                        ))}
                      </td>
                      <td>
                        {item.open}
                        {item.needs_review > 0 ? ` + ${item.needs_review} ${t('status.needs_review').toLowerCase()}` : ''}
                      </td>
                      <td>{item.due || '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}

function Why({ finding }: { finding: Finding }) {
  const t = useT('vulnerabilities');
  return (
    <dl className="vuln-why">
      <dt>{t('criterion')}</dt>
      <dd>
        <code>{finding.criterion}</code>
      </dd>
      <dt>{t('matched')}</dt>
      <dd>
        <code>{finding.matched}</code>
      </dd>
      {finding.context && (
        <>
          <dt>{t('context')}</dt>
          <dd>{finding.context}</dd>
        </>
      )}
      {finding.review_reason && (
        <>
          <dt>{t('reviewReason')}</dt>
          <dd>{finding.review_reason}</dd>
        </>
      )}
      {finding.decision_reason && (
        <>
          <dt>{t('decision')}</dt>
          <dd>{finding.decision_reason}</dd>
        </>
      )}
      <dt>{t('source')}</dt>
      <dd>{finding.source}</dd>
    </dl>
  );
}

function CvePage({ cve }: { cve: string }) {
  const t = useT('vulnerabilities');
  const session = useSession();
  const [state, retry] = useAsync((signal) => getCveExposure(cve, signal), [cve, session.token]);
  return (
    <article className="panel" data-testid="vuln-cve" data-cve={cve}>
      <a className="back" href="#/vulnerabilities">
        ← {t('backList')}
      </a>
      <h1>{cve}</h1>
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <ErrorMessage error={state.error} onRetry={retry} />}
      {state.status === 'ok' && (
        <>
          <p className="vuln-description">{state.data.description || '—'}</p>
          <dl className="vuln-facts">
            <dt>{t('published')}</dt>
            <dd>{state.data.published || '—'}</dd>
            <dt>{t('col.cvss')}</dt>
            <dd>
              <Score value={state.data.cvss} digits={1} /> {state.data.severity}
            </dd>
            <dt>{t('col.epss')}</dt>
            <dd>
              <Score value={state.data.epss?.score} digits={3} />
            </dd>
            {state.data.kev && (
              <>
                <dt>{t('kevAdded')}</dt>
                <dd>
                  <Kev kev ransomware={state.data.kev.ransomware} /> {state.data.kev.date_added}
                </dd>
                <dt>{t('kevDue')}</dt>
                <dd>{state.data.kev.due_date}</dd>
                <dt>{t('kevAction')}</dt>
                <dd>{state.data.kev.required_action}</dd>
              </>
            )}
          </dl>
          <h2>{t('exposedMembers')}</h2>
          {state.data.members.length === 0 && <p>{t('noneExposed')}</p>}
          {state.data.members.map((member) => (
            <section key={member.code} className="vuln-member-block" data-member={member.code}>
              <h3>
                <a href={`#/vulnerabilities/assets/${encodeURIComponent(member.code)}`}>{member.name}</a>{' '}
                <span className="muted">
                  ({member.code}; {t('dependents', { count: member.dependents })})
                </span>
              </h3>
              <table className="table">
                <thead>
                  <tr>
                    <th>{t('col.asset')}</th>
                    <th>{t('col.status')}</th>
                    <th>{t('col.why')}</th>
                    <th>{t('col.due')}</th>
                  </tr>
                </thead>
                <tbody>
                  {member.findings.map((finding) => (
                    <tr key={finding.asset_id} data-asset={finding.asset_id} data-status={finding.status}>
                      <td>
                        {finding.asset_name || finding.asset_id}
                        <div className="muted">{finding.asset_id}</div>
                      </td>
                      <td>
                        <StatusBadge status={finding.status} />
                      </td>
                      <td>
                        <Why finding={finding} />
                      </td>
                      <td title={finding.due_basis}>{finding.due || '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ))}
          <h2>{t('needsReview')}</h2>
          {state.data.needs_review.length === 0 ? (
            <p className="muted">{t('noReview')}</p>
          ) : (
            <ul data-testid="vuln-review">
              {state.data.needs_review.map((f) => (
                <li key={`${f.member}|${f.asset_id}`}>
                  {f.member} · {f.asset_id}: {f.review_reason || f.why}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </article>
  );
}

function DecisionControls({ code, finding, onDone }: { code: string; finding: Finding; onDone: () => void }) {
  const t = useT('vulnerabilities');
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const decide = async (status: 'not_applicable' | 'fixed' | 'open', why: string) => {
    setBusy(true);
    setError(null);
    try {
      await putDecision(code, { cve: finding.cve, asset_id: finding.asset_id, status, reason: why });
      setOpen(false);
      onDone();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError('invalid', String(err)));
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim()) void decide('not_applicable', reason.trim());
  };
  if (finding.status === 'not_applicable' || finding.status === 'fixed') {
    return (
      <button type="button" disabled={busy} onClick={() => void decide('open', '')} data-testid="decision-reopen">
        {t('reopen')}
      </button>
    );
  }
  return (
    <div className="vuln-decide">
      {!open ? (
        <>
          <button type="button" onClick={() => setOpen(true)} data-testid="decision-na">
            {t('markNa')}
          </button>{' '}
          <button type="button" disabled={busy} onClick={() => void decide('fixed', '')} data-testid="decision-fixed">
            {t('markFixed')}
          </button>
        </>
      ) : (
        <form onSubmit={submit}>
          <label>
            {t('reason')}
            <input
              type="text"
              value={reason}
              required
              maxLength={2000}
              placeholder={t('reasonPlaceholder')}
              onChange={(event) => setReason(event.target.value)}
              data-testid="decision-reason"
            />
          </label>{' '}
          <button type="submit" disabled={busy || !reason.trim()} data-testid="decision-save">
            {t('save')}
          </button>{' '}
          <button type="button" onClick={() => setOpen(false)}>
            {t('cancel')}
          </button>
        </form>
      )}
      {error && <ErrorMessage error={error} />}
    </div>
  );
}

function AssetsPage({ code }: { code: string }) {
  const t = useT('vulnerabilities');
  const session = useSession();
  const me = session.me!;
  const [version, setVersion] = useState(0);
  const [exposure, retryExposure] = useAsync((signal) => getMemberExposure(code, signal), [code, session.token, version]);
  const [inventory, retryInventory] = useAsync((signal) => getInventory(code, signal), [code, session.token, version]);
  const canDecide = me.role === 'member' && me.organisation.code === code;
  const canImport = (me.role === 'member' || me.role === 'admin') && (me.organisation.code === code || me.role === 'admin');
  const refresh = () => setVersion((v) => v + 1);
  const blindReason = useBlindReason();
  const name = inventory.status === 'ok' ? inventory.data.name : code;
  return (
    <article className="panel" data-testid="vuln-assets" data-code={code}>
      <a className="back" href="#/vulnerabilities">
        ← {t('backList')}
      </a>
      <h1>{t('assetsTitle', { name })}</h1>
      {exposure.status === 'ok' && exposure.data.notifications.length > 0 && (
        <section className="vuln-notices" data-testid="vuln-notifications">
          <h2>{t('notifications')}</h2>
          <ul>
            {exposure.data.notifications.slice(0, 10).map((n) => (
              <li key={n.id}>
                <span className="muted">{n.created.slice(0, 16).replace('T', ' ')}</span>{' '}
                <a href={`#/vulnerabilities/${encodeURIComponent(n.cve)}`}>{n.cve}</a> —{' '}
                {n.why === 'newly exposed' || n.why === 'newly known exploited' ? t(`notice.${n.why}`) : n.why}:{' '}
                {n.assets.join(', ')}
              </li>
            ))}
          </ul>
        </section>
      )}
      <h2>{t('exposures')}</h2>
      {exposure.status === 'loading' && <Loading />}
      {exposure.status === 'error' && <ErrorMessage error={exposure.error} onRetry={retryExposure} />}
      {exposure.status === 'ok' &&
        (exposure.data.findings.length === 0 ? (
          <p>{t('noExposures')}</p>
        ) : (
          <>
            <div className="table-wrap">
              <table className="table" data-testid="vuln-findings">
                <thead>
                  <tr>
                    <th>{t('col.cve')}</th>
                    <th>{t('col.asset')}</th>
                    <th>{t('col.priority')}</th>
                    <th>{t('col.status')}</th>
                    <th>{t('col.why')}</th>
                    <th>{t('col.due')}</th>
                    {canDecide && <th>{t('decision')}</th>}
                  </tr>
                </thead>
                <tbody>
                  {exposure.data.findings.map((finding) => (
                    <tr
                      key={`${finding.cve}|${finding.asset_id}`}
                      data-cve={finding.cve}
                      data-asset={finding.asset_id}
                      data-status={finding.status}
                    >
                      <td>
                        <a href={`#/vulnerabilities/${encodeURIComponent(finding.cve)}`}>{finding.cve}</a>
                      </td>
                      <td>
                        {finding.asset_name || finding.asset_id}
                        <div className="muted">{finding.asset_id}</div>
                      </td>
                      <td>
                        <Kev kev={finding.kev} ransomware={finding.ransomware} /> EPSS <Score value={finding.epss} digits={3} />{' '}
                        · CVSS <Score value={finding.cvss} digits={1} />
                      </td>
                      <td>
                        <StatusBadge status={finding.status} />
                        {finding.decision_reason && (
                          <div className="vuln-reason" data-testid="decision-text">
                            {finding.decision_reason}
                          </div>
                        )}
                      </td>
                      <td>
                        <Why finding={finding} />
                      </td>
                      <td title={`${t('dueBasis')}: ${finding.due_basis}`}>{finding.due || '—'}</td>
                      {canDecide && (
                        <td>
                          <DecisionControls code={code} finding={finding} onDone={refresh} />
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p className="muted">
              {t('duePolicy')}: {t('duePolicyText')}
            </p>
          </>
        ))}
      <h2>{t('blindSpots')}</h2>
      <p className="muted">{t('blindSpotsIntro')}</p>
      {inventory.status === 'ok' &&
        (inventory.data.blind_spots.length === 0 ? (
          <p>{t('noBlindSpots')}</p>
        ) : (
          <ul data-testid="vuln-blind-spots">
            {inventory.data.blind_spots.map((spot) => (
              <li key={spot.asset_id}>
                <strong>{spot.name || spot.asset_id}</strong> ({spot.asset_id}): {blindReason(spot.reason)}
              </li>
            ))}
          </ul>
        ))}
      <h2>{t('inventory')}</h2>
      {inventory.status === 'loading' && <Loading />}
      {inventory.status === 'error' && <ErrorMessage error={inventory.error} onRetry={retryInventory} />}
      {inventory.status === 'ok' &&
        (inventory.data.assets.length === 0 ? (
          <p>{t('inventoryEmpty')}</p>
        ) : (
          <>
            <p className="muted">
              {t('inventoryMeta', {
                version: inventory.data.version,
                at: inventory.data.updated_at?.slice(0, 16).replace('T', ' ') ?? '—',
                by: inventory.data.updated_by,
              })}
            </p>
            <div className="table-wrap">
              <table className="table" data-testid="vuln-inventory">
                <thead>
                  <tr>
                    <th>{t('col.name')}</th>
                    <th>{t('col.id')}</th>
                    <th>CPE / purl</th>
                    <th>{t('col.version')}</th>
                    <th>{t('col.blind')}</th>
                  </tr>
                </thead>
                <tbody>
                  {inventory.data.assets.map((asset) => (
                    <tr key={asset.asset_id} className={asset.blind_spot ? 'vuln-blind' : undefined}>
                      <td>{asset.name}</td>
                      <td>
                        <code>{asset.asset_id}</code>
                      </td>
                      <td>
                        <code>{asset.cpe || asset.purl || '—'}</code>
                      </td>
                      <td>{asset.version || '—'}</td>
                      <td>{asset.blind_spot ? blindReason(asset.blind_spot) : ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        ))}
      {canImport && <ImportForm code={code} onDone={refresh} />}
    </article>
  );
}

function ImportForm({ code, onDone }: { code: string; onDone: () => void }) {
  const t = useT('vulnerabilities');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<number | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const result = await importAssets(code, text, 'csv');
      setDone(result.assets.length);
      setText('');
      onDone();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError('invalid', String(err)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="vuln-import" onSubmit={(event) => void submit(event)}>
      <h2>{t('import')}</h2>
      <p className="muted">{t('importHelp')}</p>
      <textarea
        rows={5}
        value={text}
        onChange={(event) => setText(event.target.value)}
        placeholder="device,asset_id,name,cpe,purl,version"
        data-testid="vuln-import-text"
      />
      <div>
        <button type="submit" disabled={busy || !text.trim()}>
          {t('importButton')}
        </button>
      </div>
      {done !== null && <p role="status">{t('imported', { count: done })}</p>}
      {error && <ErrorMessage error={error} />}
    </form>
  );
}
