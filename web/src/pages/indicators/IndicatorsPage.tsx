import { useState, type FormEvent } from 'react';
import { AsyncView } from '../../ui/AsyncView';
import { SignInPrompt } from '../../ui/SignInPrompt';
import { DataTable } from '../../ui/DataTable';
import { useI18n, useT } from '../../i18n';
import { ReadablePattern } from '../../ui/ReadablePattern';
import { useSession } from '../../session';
import { useAction } from '../../ui/useAction';
import { useAsync } from '../../ui/useAsync';
import type { PageProps } from '../../nav';
import {
  acceptFalsePositive,
  getIndicator,
  listIndicators,
  reportFalsePositive,
  type IndicatorDetail,
  type IndicatorSummary,
} from './api';
import { getProfile } from '../protection/api';
import { DecayCurve } from '../../ui/charts/DecayCurve';
import { SightingBars } from '../../ui/charts/SightingBars';
import './indicators.css';

const STATUSES = ['active', 'expired', 'revoked', 'false_positive'] as const;

function useFormat() {
  const { formatDate } = useI18n();
  return (iso: string | null | undefined) => formatDate(iso);
}

function StatusBadge({ item }: { item: IndicatorSummary }) {
  const t = useT('indicators');
  return (
    <span className={`ind-status ind-status-${item.status}`} title={item.status_detail || undefined}>
      {t(`status.${item.status}`)}
    </span>
  );
}

function ConfidenceBar({ item }: { item: IndicatorSummary }) {
  const { formatNumber } = useI18n();
  const pct = Math.max(0, Math.min(100, item.confidence.current));
  return (
    <span className="ind-confidence" aria-label={`${formatNumber(item.confidence.current, 0)} / 100`}>
      <span className="ind-confidence-bar">
        <span style={{ width: `${pct}%` }} />
      </span>
      {formatNumber(item.confidence.current, 0)}
    </span>
  );
}

export function IndicatorsPage({ rest, query }: PageProps) {
  const session = useSession();
  const t = useT('indicators');
  if (!session.me) {
    return <SignInPrompt title={t('title')} link={t('signIn')} />;
  }
  if (rest[0]) return <IndicatorPage key={rest[0]} id={rest[0]} />;
  return <IndicatorList initialQuery={query.get('q') ?? ''} initialStatus={query.get('status') ?? ''} />;
}

function IndicatorList({ initialQuery, initialStatus }: { initialQuery: string; initialStatus: string }) {
  const t = useT('indicators');
  const { formatNumber } = useI18n();
  const session = useSession();
  const [q, setQ] = useState(initialQuery);
  const [status, setStatus] = useState(initialStatus);
  const [state, retry] = useAsync(
    (signal) => listIndicators({ q: q || undefined, status: status || undefined, limit: 500 }, signal),
    [q, status, session.token],
  );
  return (
    <section className="panel" data-testid="indicator-list">
      <h1>{t('title')}</h1>
      <p className="muted">{t('intro')}</p>
      <div className="filters">
        <label>
          {t('search')}
          <input
            type="search"
            value={q}
            placeholder={t('searchPlaceholder')}
            onChange={(event) => setQ(event.target.value)}
            data-testid="indicator-search"
          />
        </label>
        <label>
          {t('statusFilter')}
          <select value={status} onChange={(event) => setStatus(event.target.value)} data-testid="indicator-status">
            <option value="">{t('all')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <AsyncView state={state} retry={retry}>
        {(data) => (
          <>
            <p className="muted" role="status">
              {t('shown', { shown: data.items.length, total: data.total })}
            </p>
            <DataTable
              rows={data.items}
              rowKey={(item) => item.id}
              testId="indicator-table"
              ariaLabel={t('title')}
              empty={t('empty')}
              rowProps={(item) => ({ 'data-id': item.id, 'data-status': item.status })}
              columns={[
                {
                  id: 'name',
                  header: t('col.name'),
                  value: (item) => item.name || item.id,
                  cell: (item) => (
                    <>
                      <a href={`#/indicators/${encodeURIComponent(item.id)}`}>{item.name || item.id}</a>
                      <div>
                        <ReadablePattern pattern={item.pattern} />
                      </div>
                    </>
                  ),
                },
                { id: 'producer', header: t('col.producer'), value: (item) => item.producer.name },
                { id: 'tlp', header: t('col.tlp'), value: (item) => item.tlp, cell: (item) => <span className="ind-tlp">{item.tlp}</span> },
                {
                  id: 'confidence',
                  header: t('col.confidence'),
                  value: (item) => item.confidence.current,
                  cell: (item) => <ConfidenceBar item={item} />,
                },
                {
                  id: 'sightings',
                  header: t('col.sightings'),
                  value: (item) => item.sightings.objects,
                  cell: (item) => `${formatNumber(item.sightings.objects)} / ${formatNumber(item.sightings.members)}`,
                },
                { id: 'lastSeen', header: t('col.lastSeen'), value: (item) => item.sightings.last_seen, format: 'datetime' },
                {
                  id: 'fp',
                  header: t('col.fp'),
                  value: (item) => (item.false_positives.reports > 0 ? item.false_positives.reports : null),
                  format: 'number',
                },
                { id: 'status', header: t('col.status'), value: (item) => item.status, cell: (item) => <StatusBadge item={item} /> },
              ]}
            />
          </>
        )}
      </AsyncView>
    </section>
  );
}

function IndicatorPage({ id }: { id: string }) {
  const t = useT('indicators');
  const session = useSession();
  const [state, retry] = useAsync((signal) => getIndicator(id, signal), [id, session.token]);
  return (
    <article className="panel" data-testid="indicator-page" data-id={id}>
      <a className="back" href="#/indicators">
        ← {t('back')}
      </a>
      <AsyncView state={state} retry={retry}>
        {(item) => <IndicatorBody item={item} onChange={retry} />}
      </AsyncView>
    </article>
  );
}

function IndicatorBody({ item, onChange }: { item: IndicatorDetail; onChange: () => void }) {
  const t = useT('indicators');
  const { formatNumber } = useI18n();
  const format = useFormat();
  const session = useSession();
  const me = session.me;
  const canReport = me !== null && me.role !== 'sensor';
  const producer = me !== null && me.organisation.code === item.producer.code;
  const proposals = item.false_positives.visible.filter((r) => r.scope === 'all').length;
  const canAccept = (producer || me?.coordinator === true) && proposals > 0 && item.status !== 'false_positive';
  return (
    <>
      <h1 data-testid="indicator-name">{item.name || item.id}</h1>
      <p>
        <StatusBadge item={item} /> <span className="muted" lang="en">
          {item.status_detail}
        </span>
      </p>
      <dl className="facts">
        <div>
          <dt>{t('pattern')}</dt>
          <dd>
            <ReadablePattern pattern={item.pattern} />
          </dd>
        </div>
        <div>
          <dt>{t('col.producer')}</dt>
          <dd>
            <a href={`#/members/${encodeURIComponent(item.producer.code)}`}>{item.producer.name}</a>
          </dd>
        </div>
        <div>
          <dt>{t('collection')}</dt>
          <dd>{item.collection.title}</dd>
        </div>
        <div>
          <dt>TLP</dt>
          <dd>
            <span className="ind-tlp">{item.tlp}</span>
          </dd>
        </div>
        <div>
          <dt>{t('validFrom')}</dt>
          <dd>{format(item.valid_from)}</dd>
        </div>
        <div>
          <dt>{t('validUntil')}</dt>
          <dd>{format(item.valid_until)}</dd>
        </div>
        <div>
          <dt>{t('confidence')}</dt>
          <dd data-testid="indicator-confidence">
            {t('confidenceOf', {
              current: formatNumber(item.confidence.current, 0),
              base: formatNumber(item.confidence.base, 0),
            })}
            <div className="muted">
              {t('decay', { days: formatNumber(item.confidence.lifetime_days), expires: format(item.confidence.expires_at) })}
            </div>
          </dd>
        </div>
      </dl>
      {item.status === 'active' ? <ConfidenceOverTime item={item} /> : null}

      <h2>{t('sightingsHeading')}</h2>
      {item.sightings.objects === 0 ? (
        <p>{t('sightingsNone')}</p>
      ) : (
        <>
          <p data-testid="indicator-sightings">
            {t('sightingsSummary', {
              objects: item.sightings.objects,
              members: item.sightings.members,
              count: item.sightings.count,
              first: format(item.sightings.first_seen),
              last: format(item.sightings.last_seen),
            })}
          </p>
          {item.sightings.visible.length > 0 && (
            <SightingBars
              records={item.sightings.visible}
              hiddenReports={item.sightings.objects - item.sightings.visible.length}
              testId="indicator-sighting-bars"
            />
          )}
          {item.sightings.visible.length > 0 && (
            <DataTable
              rows={item.sightings.visible}
              rowKey={(sighting) => sighting.id}
              ariaLabel={t('sightingsHeading')}
              columns={[
                { id: 'member', header: t('col.member'), value: (sighting) => sighting.organisation?.name ?? t('unnamedMember') },
                { id: 'count', header: t('col.count'), value: (sighting) => sighting.count, format: 'number' },
                { id: 'firstSeen', header: t('col.firstSeen'), value: (sighting) => sighting.first_seen, format: 'datetime' },
                { id: 'lastSeen', header: t('col.lastSeen'), value: (sighting) => sighting.last_seen, format: 'datetime' },
              ]}
            />
          )}
          {item.sightings.visible.length < item.sightings.objects && <p className="muted">{t('sightingsHidden')}</p>}
        </>
      )}

      <h2>{t('blocksHeading')}</h2>
      {item.blocks === 0 ? (
        <p>{t('blocksNone')}</p>
      ) : (
        <p data-testid="indicator-blocks">
          {t('blocksSummary', { count: formatNumber(item.blocks), members: formatNumber(item.blocked_members) })}
        </p>
      )}

      <h2>{t('fpHeading')}</h2>
      {item.false_positives.reports === 0 ? (
        <p>{t('fpNone')}</p>
      ) : (
        <>
          <p>{t('fpReports', { n: item.false_positives.reports })}</p>
          <ul data-testid="fp-reports">
            {item.false_positives.visible.map((r) => (
              <li key={r.id}>
                <strong>{r.organisation.name}</strong> ({t(r.scope === 'all' ? 'scope.all' : 'scope.self')},{' '}
                {format(r.created)}): <span data-user-text>{r.explanation}</span>
              </li>
            ))}
          </ul>
          {item.false_positives.verdicts.map((v) => (
            <p key={v.organisation.code} className="ind-verdict">
              {t('verdict', { org: v.organisation.name })} <span data-user-text>{v.reason}</span>
            </p>
          ))}
        </>
      )}
      {(canReport || canAccept) && <FalsePositiveForm item={item} canReport={canReport} canAccept={canAccept} onChange={onChange} />}
    </>
  );
}

/**
 * The confidence from its last restart over its remaining life, with today
 * and, for a member's people, the minimum confidence of their own blocking
 * list (the protection profile; left out when it cannot be read).
 */
function ConfidenceOverTime({ item }: { item: IndicatorDetail }) {
  const session = useSession();
  const me = session.me;
  const code = me && me.role !== 'sensor' ? me.organisation.code : null;
  const [profile] = useAsync(
    (signal) => (code ? getProfile(code, signal).catch(() => null) : Promise.resolve(null)),
    [code, session.token],
  );
  if (profile.status === 'loading') return null;
  const feedMinimum = profile.status === 'ok' ? (profile.data?.profile.min_confidence ?? null) : null;
  return (
    <DecayCurve
      base={item.confidence.base}
      lifetimeDays={item.confidence.lifetime_days}
      decayFrom={item.confidence.decay_from}
      expiresAt={item.confidence.expires_at}
      current={item.confidence.current}
      feedMinimum={feedMinimum}
      testId="indicator-decay"
    />
  );
}

function FalsePositiveForm({
  item,
  canReport,
  canAccept,
  onChange,
}: {
  item: IndicatorDetail;
  canReport: boolean;
  canAccept: boolean;
  onChange: () => void;
}) {
  const t = useT('indicators');
  const [reason, setReason] = useState('');
  const action = useAction(async (send: () => Promise<unknown>, done: string) => {
    await send();
    setReason('');
    onChange();
    return done;
  });
  const busy = action.pending;
  const run = (send: () => Promise<unknown>, done: string) => void action.run(send, done);
  const submit = (event: FormEvent) => event.preventDefault();
  const empty = reason.trim() === '';
  return (
    <form className="ind-fp-form" onSubmit={submit} data-testid="fp-form">
      <h3>{t('reportHeading')}</h3>
      <label>
        {t('reason')}
        <textarea value={reason} onChange={(event) => setReason(event.target.value)} rows={2} maxLength={2000} />
      </label>
      <div className="ind-actions">
        {canReport && !item.false_positives.for_my_organisation && (
          <button
            type="button"
            disabled={busy || empty}
            onClick={() => run(() => reportFalsePositive(item.id, 'self', reason.trim()), t('reported'))}
          >
            {t('reportSelf')}
          </button>
        )}
        {canReport && (
          <button
            type="button"
            disabled={busy || empty}
            onClick={() => run(() => reportFalsePositive(item.id, 'all', reason.trim()), t('reported'))}
          >
            {t('reportAll')}
          </button>
        )}
        {canAccept && (
          <button
            type="button"
            disabled={busy || empty}
            onClick={() => run(() => acceptFalsePositive(item.id, reason.trim()), t('accepted'))}
            data-testid="fp-accept"
          >
            {t('accept')}
          </button>
        )}
      </div>
      <AsyncView
        state={action.state}
        loading={null}
        error={(error) => <p role="alert" className="error-text">{t('failed', { message: error.serverMessage ?? error.message })}</p>}
      >
        {(done) => (
          <p role="status" className="ind-ok">
            {done}
          </p>
        )}
      </AsyncView>
    </form>
  );
}
