import { useState, type FormEvent } from 'react';
import { useI18n, useT } from '../../i18n';
import { useSession } from '../../session';
import { AsyncView } from '../../ui/AsyncView';
import { SignInPrompt } from '../../ui/SignInPrompt';
import { DueDate } from '../../ui/DueDate';
import { FeedsFreshness, StaleFeeds } from './StaleFeeds';
import { DataTable, type Column } from '../../ui/DataTable';
import { useAction } from '../../ui/useAction';
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
  type EmptyReason,
  type ExposureItem,
  type ExposureList,
  type Finding,
} from './api';
import { productName } from './product';
import './vuln.css';

export function VulnerabilitiesPage({ rest, query }: PageProps) {
  const session = useSession();
  const t = useT('vulnerabilities');
  if (!session.me) {
    return <SignInPrompt title={t('title')} link={t('signIn')} />;
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
    return <span lang="en">{reason}</span>;
  };
}

function StatusBadge({ status }: { status: Finding['status'] }) {
  const t = useT('vulnerabilities');
  return <span className={`vuln-status vuln-status-${status}`}>{t(`status.${status}`)}</span>;
}

function Feeds() {
  const t = useT('vulnerabilities');
  const { formatDate, formatNumber } = useI18n();
  const [state, retry] = useAsync((signal) => getFeeds(signal), []);
  return (
    <AsyncView state={state} retry={retry} isEmpty={(data) => data.sources.length === 0} empty={<p className="muted">{t('feedsNone')}</p>}>
      {(data) => (
        <>
          <StaleFeeds sources={data.sources} />
          <p className="muted vuln-feeds" data-testid="vuln-feeds">
            {t('feeds')}:{' '}
            {data.sources
              .map((s) =>
                s.source_date
                  ? t('feedItem', { source: s.source.toUpperCase(), count: formatNumber(s.records), date: formatDate(s.source_date, 'date') })
                  : t('feedItemUndated', { source: s.source.toUpperCase(), count: formatNumber(s.records) }),
              )
              .join(' · ')}
          </p>
        </>
      )}
    </AsyncView>
  );
}

/** A severity from the feeds (CVSS's CRITICAL, HIGH …) in the reader's language. */
function Severity({ value }: { value: string | null | undefined }) {
  const { codeLabel } = useI18n();
  if (!value) return null;
  return <span data-severity={value}>{codeLabel('vulnerabilities.severity', value.toLowerCase())}</span>;
}

function ExposureListPage({ initialQuery }: { initialQuery: string }) {
  const t = useT('vulnerabilities');
  const session = useSession();
  const me = session.me!;
  const [q, setQ] = useState(initialQuery);
  const [state, retry] = useAsync((signal) => listExposure(q.trim(), signal), [q, session.token]);
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
      <AsyncView state={state} retry={retry}>
        {(data) => (
          <>
            <p className="muted" role="status">
              {t('shown', { count: data.items.length, total: data.total ?? data.items.length })}
            </p>
            {data.items.length === 0 ? (
              <EmptyAnswer list={data} query={q.trim()} />
            ) : (
              <ExposureTable items={data.items} />
            )}
          </>
        )}
      </AsyncView>
    </section>
  );
}

/**
 * Why the list is empty, so that it never reads as an all-clear: no asset
 * registered, none of that product, no affected version, or everything
 * decided — with the way to the inventory.
 */
function EmptyAnswer({ list, query }: { list: ExposureList; query: string }) {
  const t = useT('vulnerabilities');
  const session = useSession();
  const me = session.me!;
  const reason: EmptyReason | undefined = list.empty_reason;
  const inventory = list.inventory;
  let text: string;
  switch (reason) {
    case 'no_inventory':
      text = me.coordinator ? t('emptyReason.no_inventory.national') : t('emptyReason.no_inventory');
      break;
    case 'no_matching_assets':
      text = t('emptyReason.no_matching_assets', { query });
      break;
    case 'no_affected_version':
      text = query
        ? t('emptyReason.no_affected_version.query', { query, count: inventory?.matching_assets ?? 0 })
        : t('emptyReason.no_affected_version');
      break;
    case 'all_decided':
      text = t('emptyReason.all_decided');
      break;
    case 'status_filter':
      text = t('emptyReason.status_filter');
      break;
    default:
      text = t('empty');
  }
  return (
    <div className="vuln-empty" role="note" data-testid="vuln-empty" data-reason={reason ?? ''}>
      <p>{text}</p>
      {inventory && (
        <p className="muted">
          {me.coordinator
            ? t('emptyInventory.national', { members: inventory.members, assets: inventory.assets })
            : t('emptyInventory', { assets: inventory.assets })}
        </p>
      )}
      {!me.coordinator && (
        <p>
          <a href={`#/vulnerabilities/assets/${encodeURIComponent(me.organisation.code)}`}>{t('emptyToInventory')}</a>
        </p>
      )}
    </div>
  );
}

function ExposureTable({ items }: { items: ExposureItem[] }) {
  const t = useT('vulnerabilities');
  const { formatNumber } = useI18n();
  return (
    <DataTable
      rows={items}
      rowKey={(item) => item.cve}
      testId="vuln-table"
      ariaLabel={t('title')}
      empty={t('empty')}
      rowProps={(item) => ({ 'data-cve': item.cve })}
      columns={[
        {
          id: 'cve',
          header: t('col.cve'),
          value: (item) => item.cve,
          cell: (item) => (
            <>
              <a href={`#/vulnerabilities/${encodeURIComponent(item.cve)}`}>{item.cve}</a>
              {item.products.length > 0 && (
                <div className="vuln-products" data-testid="vuln-products" data-user-text>
                  {item.products.map((p) => productName(p.vendor, p.product)).join(', ')}
                </div>
              )}
              <div className="vuln-desc" lang="en">
                {item.description}
              </div>
            </>
          ),
        },
        {
          id: 'priority',
          header: t('col.priority'),
          cell: (item) => (
            <>
              <Kev kev={item.kev} ransomware={item.ransomware} /> <Severity value={item.severity} />
            </>
          ),
        },
        { id: 'epss', header: t('col.epss'), value: (item) => item.epss, cell: (item) => <Score value={item.epss} digits={3} /> },
        { id: 'cvss', header: t('col.cvss'), value: (item) => item.cvss, cell: (item) => <Score value={item.cvss} digits={1} /> },
        {
          id: 'members',
          header: t('col.members'),
          value: (item) => item.members.length,
          cell: (item) => (
            <span data-testid="vuln-members">
              {item.members.map((m) => (
                <span key={m.code} className={m.open ? 'vuln-member open' : 'vuln-member'} title={m.code}>
                  {m.name}
                </span>
              ))}
            </span>
          ),
        },
        {
          id: 'assets',
          header: t('col.assets'),
          value: (item) => item.open,
          cell: (item) =>
            `${formatNumber(item.open)}${item.needs_review > 0 ? ` + ${formatNumber(item.needs_review)} ${t('status.needs_review').toLowerCase()}` : ''}`,
        },
        { id: 'due', header: t('col.due'), value: (item) => item.due, cell: (item) => <DueDate at={item.due} done={item.open === 0} /> },
      ]}
    />
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
          <dd lang="en">{finding.context}</dd>
        </>
      )}
      {finding.review_reason && (
        <>
          <dt>{t('reviewReason')}</dt>
          <dd lang="en">{finding.review_reason}</dd>
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

/** The columns the finding tables share (a CVE's exposed members, a member's exposures). */
function useFindingColumns() {
  const t = useT('vulnerabilities');
  const assetColumn: Column<Finding> = {
    id: 'asset',
    header: t('col.asset'),
    value: (finding) => finding.asset_name || finding.asset_id,
    cell: (finding) => (
      <>
        <span data-user-text>{finding.asset_name || finding.asset_id}</span>
        <div className="muted">
          <code>{finding.asset_id}</code>
        </div>
      </>
    ),
  };
  const statusColumn: Column<Finding> = {
    id: 'status',
    header: t('col.status'),
    value: (finding) => finding.status,
    cell: (finding) => (
      <>
        <StatusBadge status={finding.status} />
        {finding.decision_reason && (
          <div className="vuln-reason" data-testid="decision-text">
            {finding.decision_reason}
          </div>
        )}
      </>
    ),
  };
  const whyColumn: Column<Finding> = { id: 'why', header: t('col.why'), cell: (finding) => <Why finding={finding} /> };
  const dueColumn: Column<Finding> = {
    id: 'due',
    header: t('col.due'),
    value: (finding) => finding.due,
    cell: (finding) => (
      <span title={`${t('dueBasis')}: ${finding.due_basis}`}>
        <DueDate at={finding.due} done={finding.status === 'fixed' || finding.status === 'not_applicable'} />
      </span>
    ),
  };
  return { assetColumn, statusColumn, whyColumn, dueColumn };
}

function CvePage({ cve }: { cve: string }) {
  const t = useT('vulnerabilities');
  const { formatDate } = useI18n();
  const { assetColumn, statusColumn, whyColumn, dueColumn } = useFindingColumns();
  const session = useSession();
  const [state, retry] = useAsync((signal) => getCveExposure(cve, signal), [cve, session.token]);
  return (
    <article className="panel" data-testid="vuln-cve" data-cve={cve}>
      <a className="back" href="#/vulnerabilities">
        ← {t('backList')}
      </a>
      <h1>{cve}</h1>
      <FeedsFreshness />
      <AsyncView state={state} retry={retry}>
        {(cveData) => (
        <>
          <p className="vuln-description" lang="en">
            {cveData.description || '—'}
          </p>
          <dl className="vuln-facts">
            <dt>{t('published')}</dt>
            <dd>{formatDate(cveData.published, 'date')}</dd>
            <dt>{t('col.cvss')}</dt>
            <dd>
              <Score value={cveData.cvss} digits={1} /> <Severity value={cveData.severity} />
            </dd>
            <dt>{t('col.epss')}</dt>
            <dd>
              <Score value={cveData.epss?.score} digits={3} />
            </dd>
            {cveData.kev && (
              <>
                <dt>{t('kevAdded')}</dt>
                <dd>
                  <Kev kev ransomware={cveData.kev.ransomware} /> {formatDate(cveData.kev.date_added, 'date')}
                </dd>
                <dt>{t('kevDue')}</dt>
                <dd>
                  <DueDate at={cveData.kev.due_date} />
                </dd>
                <dt>{t('kevAction')}</dt>
                <dd lang="en">{cveData.kev.required_action}</dd>
              </>
            )}
          </dl>
          <h2>{t('exposedMembers')}</h2>
          {cveData.members.length === 0 && (
            <p data-testid="vuln-none-exposed" data-reason={cveData.empty_reason ?? ''}>
              {cveData.empty_reason === 'no_inventory' ? t('noneExposed.no_inventory') : t('noneExposed')}
            </p>
          )}
          {cveData.members.map((member) => (
            <section key={member.code} className="vuln-member-block" data-member={member.code}>
              <h3>
                <a href={`#/vulnerabilities/assets/${encodeURIComponent(member.code)}`}>{member.name}</a>{' '}
                <span className="muted">
                  ({member.code}; {t('dependents', { count: member.dependents })})
                </span>
              </h3>
              <DataTable
                rows={member.findings}
                rowKey={(finding) => finding.asset_id}
                ariaLabel={`${t('exposedMembers')}: ${member.name}`}
                rowProps={(finding) => ({ 'data-asset': finding.asset_id, 'data-status': finding.status })}
                columns={[assetColumn, statusColumn, whyColumn, dueColumn]}
              />
            </section>
          ))}
          <h2>{t('needsReview')}</h2>
          {cveData.needs_review.length === 0 ? (
            <p className="muted">{t('noReview')}</p>
          ) : (
            <ul data-testid="vuln-review">
              {cveData.needs_review.map((f) => (
                <li key={`${f.member}|${f.asset_id}`}>
                  {f.member} · <code>{f.asset_id}</code>: <span lang="en">{f.review_reason || f.why}</span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      </AsyncView>
    </article>
  );
}

function DecisionControls({ code, finding, onDone }: { code: string; finding: Finding; onDone: () => void }) {
  const t = useT('vulnerabilities');
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const decision = useAction(async (status: 'not_applicable' | 'fixed' | 'open', why: string) => {
    await putDecision(code, { cve: finding.cve, asset_id: finding.asset_id, status, reason: why });
    setOpen(false);
    onDone();
  });
  const busy = decision.pending;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim()) void decision.run('not_applicable', reason.trim());
  };
  const outcome = <AsyncView state={decision.state}>{() => null}</AsyncView>;
  if (finding.status === 'not_applicable' || finding.status === 'fixed') {
    return (
      <>
        <button type="button" disabled={busy} onClick={() => void decision.run('open', '')} data-testid="decision-reopen">
          {t('reopen')}
        </button>
        {outcome}
      </>
    );
  }
  return (
    <div className="vuln-decide">
      {!open ? (
        <>
          <button type="button" onClick={() => setOpen(true)} data-testid="decision-na">
            {t('markNa')}
          </button>{' '}
          <button type="button" disabled={busy} onClick={() => void decision.run('fixed', '')} data-testid="decision-fixed">
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
      {outcome}
    </div>
  );
}

function AssetsPage({ code }: { code: string }) {
  const t = useT('vulnerabilities');
  const { formatDate } = useI18n();
  const session = useSession();
  const me = session.me!;
  const [version, setVersion] = useState(0);
  const [exposure, retryExposure] = useAsync((signal) => getMemberExposure(code, signal), [code, session.token, version]);
  const [inventory, retryInventory] = useAsync((signal) => getInventory(code, signal), [code, session.token, version]);
  const canDecide = me.role === 'member' && me.organisation.code === code;
  const canImport = (me.role === 'member' || me.role === 'admin') && (me.organisation.code === code || me.role === 'admin');
  const refresh = () => setVersion((v) => v + 1);
  const blindReason = useBlindReason();
  const { assetColumn, statusColumn, whyColumn, dueColumn } = useFindingColumns();
  const columns: Column<Finding>[] = [
    {
      id: 'cve',
      header: t('col.cve'),
      value: (finding) => finding.cve,
      cell: (finding) => <a href={`#/vulnerabilities/${encodeURIComponent(finding.cve)}`}>{finding.cve}</a>,
    },
    assetColumn,
    {
      id: 'priority',
      header: t('col.priority'),
      cell: (finding) => (
        <>
          <Kev kev={finding.kev} ransomware={finding.ransomware} /> EPSS <Score value={finding.epss} digits={3} /> · CVSS{' '}
          <Score value={finding.cvss} digits={1} />
        </>
      ),
    },
    statusColumn,
    whyColumn,
    dueColumn,
  ];
  if (canDecide) {
    columns.push({
      id: 'decision',
      header: t('decision'),
      cell: (finding) => <DecisionControls code={code} finding={finding} onDone={refresh} />,
    });
  }
  const name = inventory.status === 'ok' ? inventory.data.name : code;
  return (
    <article className="panel" data-testid="vuln-assets" data-code={code}>
      <a className="back" href="#/vulnerabilities">
        ← {t('backList')}
      </a>
      <h1>{t('assetsTitle', { name })}</h1>
      <FeedsFreshness />
      {exposure.status === 'ok' && exposure.data.notifications.length > 0 && (
        <section className="vuln-notices" data-testid="vuln-notifications">
          <h2>{t('notifications')}</h2>
          <ul>
            {exposure.data.notifications.slice(0, 10).map((n) => (
              <li key={n.id}>
                <span className="muted">{formatDate(n.created)}</span>{' '}
                <a href={`#/vulnerabilities/${encodeURIComponent(n.cve)}`}>{n.cve}</a> —{' '}
                {n.why === 'newly exposed' || n.why === 'newly known exploited' ? t(`notice.${n.why}`) : <span lang="en">{n.why}</span>}:{' '}
                {n.assets.join(', ')}
              </li>
            ))}
          </ul>
        </section>
      )}
      <h2>{t('exposures')}</h2>
      <AsyncView
        state={exposure}
        retry={retryExposure}
        isEmpty={(data) => data.findings.length === 0}
        empty={<p>{t('noExposures')}</p>}
      >
        {(data) => (
          <>
            <DataTable
              rows={data.findings}
              rowKey={(finding) => `${finding.cve}|${finding.asset_id}`}
              testId="vuln-findings"
              ariaLabel={t('exposures')}
              rowProps={(finding) => ({ 'data-cve': finding.cve, 'data-asset': finding.asset_id, 'data-status': finding.status })}
              columns={columns}
            />
            <p className="muted">
              {t('duePolicy')}: {t('duePolicyText')}
            </p>
          </>
        )}
      </AsyncView>
      <h2>{t('blindSpots')}</h2>
      <p className="muted">{t('blindSpotsIntro')}</p>
      {inventory.status === 'ok' &&
        (inventory.data.blind_spots.length === 0 ? (
          <p>{t('noBlindSpots')}</p>
        ) : (
          <ul data-testid="vuln-blind-spots">
            {inventory.data.blind_spots.map((spot) => (
              <li key={spot.asset_id}>
                <strong data-user-text>{spot.name || spot.asset_id}</strong> (<code>{spot.asset_id}</code>): {blindReason(spot.reason)}
              </li>
            ))}
          </ul>
        ))}
      <h2>{t('inventory')}</h2>
      <AsyncView
        state={inventory}
        retry={retryInventory}
        isEmpty={(data) => data.assets.length === 0}
        empty={<p>{t('inventoryEmpty')}</p>}
      >
        {(data) => (
          <>
            <p className="muted">
              {t('inventoryMeta', {
                version: data.version,
                at: formatDate(data.updated_at),
                by: data.updated_by,
              })}
            </p>
            <DataTable
              rows={data.assets}
              rowKey={(asset) => asset.asset_id}
              testId="vuln-inventory"
              ariaLabel={t('inventory')}
              rowProps={(asset) => ({ className: asset.blind_spot ? 'vuln-blind' : undefined })}
              columns={[
                { id: 'name', header: t('col.name'), value: (asset) => asset.name, cell: (asset) => <span data-user-text>{asset.name}</span> },
                { id: 'id', header: t('col.id'), value: (asset) => asset.asset_id, cell: (asset) => <code>{asset.asset_id}</code> },
                {
                  id: 'cpe',
                  header: 'CPE / purl',
                  value: (asset) => asset.cpe || asset.purl,
                  cell: (asset) => <code>{asset.cpe || asset.purl || '—'}</code>,
                },
                { id: 'version', header: t('col.version'), value: (asset) => asset.version, cell: (asset) => asset.version || '—' },
                {
                  id: 'blind',
                  header: t('col.blind'),
                  value: (asset) => asset.blind_spot,
                  cell: (asset) => (asset.blind_spot ? blindReason(asset.blind_spot) : ''),
                },
              ]}
            />
          </>
        )}
      </AsyncView>
      {canImport && <ImportForm code={code} onDone={refresh} />}
    </article>
  );
}

function ImportForm({ code, onDone }: { code: string; onDone: () => void }) {
  const t = useT('vulnerabilities');
  const [text, setText] = useState('');
  const upload = useAction(async (csv: string) => {
    const result = await importAssets(code, csv, 'csv');
    setText('');
    onDone();
    return result;
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void upload.run(text);
  };
  return (
    <form className="vuln-import" onSubmit={submit}>
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
        <button type="submit" disabled={upload.pending || !text.trim()}>
          {t('importButton')}
        </button>
      </div>
      <AsyncView state={upload.state}>{(result) => <p role="status">{t('imported', { count: result.assets.length })}</p>}</AsyncView>
    </form>
  );
}
