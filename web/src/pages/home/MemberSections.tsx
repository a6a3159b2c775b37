/** The member's home sections: deadlines, exposure, feeds, indicators, duty, guidance and the baseline comparison. */
import { useI18n, useT } from '../../i18n';
import { AsyncView } from '../../ui/AsyncView';
import { DataTable } from '../../ui/DataTable';
import { DueDate } from '../../ui/DueDate';
import { useAsync } from '../../ui/useAsync';
import { getMemberBaseline } from '../baseline/api';
import { isOpen } from '../duty/NotificationsSection';
import { listNotifications } from '../duty/api';
import { SeverityLabel, useKindLabel } from '../duty/common';
import { getTimeline, listGuidance } from '../incidents/api';
import { getFeeds, getInventory, getMemberExposure, type Finding, type Inventory } from '../vulnerabilities/api';
import { productName } from '../vulnerabilities/product';
import { STALE_AFTER_DAYS, staleSources } from '../vulnerabilities/StaleFeeds';
import { Countdown, NAME_SLOT, Section, WithName, cpeProduct, secondsLeft, useCount, useDay } from './common';
import { indicatorHref, recentlySighted, SIGHTED_LIMIT } from './sightings';

/** A translated phrase with a due date in it ("frist {due}"), the date shown by DueDate so that past due says so. */
function DueIn({ text, at }: { text: string; at: string }) {
  const [before = '', after = ''] = text.split(NAME_SLOT);
  return (
    <>
      {before}
      <DueDate at={at} />
      {after}
    </>
  );
}

/** A finding's product: the vendor and product the hub names for the asset, else the asset's name. */
function findingProduct(finding: Finding): string {
  return finding.vendor || finding.product ? productName(finding.vendor, finding.product) : finding.asset_name;
}

const TODAY = () => new Date().toISOString().slice(0, 10);

/** Open NIS2 incidents with their next deadline, soonest (or most overdue) first. */
export function DeadlinesSection({ national = false }: { national?: boolean }) {
  const t = useT('home');
  const day = useI18n().formatDate;
  const [state, retry] = useAsync((signal) => getTimeline(signal), []);
  const now = Date.now();
  return (
    <Section id="deadlines" title={national ? t('deadlinesNationalHeading') : t('deadlinesHeading')}>
      <AsyncView
        state={state}
        retry={retry}
        isEmpty={(data) => !data.items.some((item) => item.next_due)}
        empty={<p data-testid="home-deadlines-none">{t('deadlinesNone')}</p>}
      >
        {(data) => (
          <ul className="home-list">
            {data.items
              .filter((item) => item.next_due)
              .sort((a, b) => secondsLeft(a.next_due?.due.utc ?? '', now) - secondsLeft(b.next_due?.due.utc ?? '', now))
              .map((item) => {
                const due = item.next_due;
                if (!due) return null;
                return (
                  <li key={item.id} data-incident={item.id} data-stage={due.stage}>
                    <a href={`#/incidents/${encodeURIComponent(item.id)}`}>{t('openIncident', { title: item.title })}</a>
                    {national ? <span className="home-meta"> · {item.org.name}</span> : null}
                    <br />
                    <span className="home-meta">
                      {t('deadlineStage', { stage: t(`stage.${due.stage}`), due: day(due.due.utc) })}
                    </span>{' '}
                    · <Countdown dueUtc={due.due.utc} now={now} />
                  </li>
                );
              })}
          </ul>
        )}
      </AsyncView>
    </Section>
  );
}

interface VendorRow {
  vendor: string;
  products: string[];
  open: number;
}

function vendorRows(inventory: Inventory, findings: readonly Finding[], unknown: string): VendorRow[] {
  const byVendor = new Map<string, VendorRow>();
  const vendorOfAsset = new Map<string, string>();
  for (const asset of inventory.assets) {
    const vendor = cpeProduct(asset.cpe)?.vendor ?? unknown;
    vendorOfAsset.set(asset.asset_id, vendor);
    const row = byVendor.get(vendor) ?? { vendor, products: [], open: 0 };
    if (!row.products.includes(asset.name)) row.products.push(asset.name);
    byVendor.set(vendor, row);
  }
  for (const finding of findings) {
    const row = byVendor.get(vendorOfAsset.get(finding.asset_id) ?? '');
    if (row) row.open += 1;
  }
  return [...byVendor.values()];
}

/** Open findings (KEV past due first) with vendor and product, every vendor in the inventory, and the blind spots. */
export function ExposureSection({ code }: { code: string }) {
  const t = useT('home');
  const count = useCount();
  const [state, retry] = useAsync(
    (signal) => Promise.all([getInventory(code, signal), getMemberExposure(code, signal)]),
    [code],
  );
  return (
    <Section id="exposure" title={t('exposureHeading')}>
      <AsyncView state={state} retry={retry}>
        {([inventory, exposure]) => {
          if (inventory.assets.length === 0) {
            return (
              <>
                <p data-testid="home-exposure-unknown">{t('exposureNoInventory')}</p>
                <p>
                  <a href="#/vulnerabilities/assets">{t('exposureRegister')}</a>
                </p>
              </>
            );
          }
          const today = TODAY();
          const open = exposure.findings.filter((finding) => finding.status === 'open');
          const overdueKev = (finding: Finding) => finding.kev && finding.due < today;
          const sorted = [...open].sort(
            (a, b) => Number(overdueKev(b)) - Number(overdueKev(a)) || a.due.localeCompare(b.due),
          );
          const kevOverdue = open.filter(overdueKev).length;
          return (
            <>
              {open.length === 0 ? (
                <p data-testid="home-exposure-none">{t('exposureNone')}</p>
              ) : (
                <>
                  <p data-testid="home-exposure-summary">
                    {t('exposureSummary', { findings: count('findings', open.length), kev: kevOverdue })}
                  </p>
                  <ul className="home-list" data-testid="home-findings">
                    {sorted.map((finding) => {
                      const product = findingProduct(finding);
                      return (
                        <li key={`${finding.cve}|${finding.asset_id}`} data-cve={finding.cve} data-asset={finding.asset_id}>
                          <a href={`#/vulnerabilities/${encodeURIComponent(finding.cve)}`}>
                            <WithName text={t('exposureOpen', { cve: finding.cve, product: NAME_SLOT })} name={product} />
                          </a>
                          <br />
                          <span className="home-meta">
                            <span data-user-text>{finding.asset_name}</span> · <DueIn text={t('exposureDue', { due: NAME_SLOT })} at={finding.due} />
                          </span>
                          {finding.kev ? (
                            <>
                              {' · '}
                              <strong className={overdueKev(finding) ? 'home-risk home-risk-overdue' : 'home-risk'}>
                                {overdueKev(finding) ? <span aria-hidden="true">⚠ </span> : null}
                                {overdueKev(finding) ? t('exposureKevOverdue') : t('exposureKev')}
                              </strong>
                            </>
                          ) : null}
                        </li>
                      );
                    })}
                  </ul>
                </>
              )}
              <DataTable
                rows={vendorRows(inventory, open, t('vendorUnknown'))}
                rowKey={(row) => row.vendor}
                caption={t('vendorsCaption')}
                className="member-table"
                testId="home-vendors"
                initialSort={{ column: 'vendor', direction: 'ascending' }}
                rowProps={(row) => ({ 'data-vendor': row.vendor.toLowerCase(), 'data-open': row.open })}
                columns={[
                  { id: 'vendor', header: t('vendors.col.vendor'), value: (row) => row.vendor, rowHeader: true },
                  {
                    id: 'products',
                    header: t('vendors.col.products'),
                    value: (row) => row.products.join(', '),
                    cell: (row) => <span data-user-text>{row.products.join(', ')}</span>,
                  },
                  {
                    id: 'open',
                    header: t('vendors.col.open'),
                    value: (row) => row.open,
                    cell: (row) => (row.open === 0 ? t('vendorsNoFinding') : count('findings', row.open)),
                  },
                ]}
              />
              {inventory.blind_spots.length > 0 ? (
                <p data-testid="home-blind-assets">
                  {t('blindSpots', { assets: count('assets', inventory.blind_spots.length) })}{' '}
                  <a href="#/vulnerabilities/assets">{t('blindSpotsLink')}</a>
                </p>
              ) : null}
              <p>
                <a href="#/vulnerabilities">{t('exposureAll')}</a>
              </p>
            </>
          );
        }}
      </AsyncView>
    </Section>
  );
}

/** The vulnerability sources by their own dates, each stale one said as such. */
export function FeedsSection() {
  const t = useT('home');
  const count = useCount();
  const day = useDay();
  const [state, retry] = useAsync((signal) => getFeeds(signal), []);
  const now = Date.now();
  return (
    <Section id="feeds" title={t('feedsHeading')}>
      <p className="hint">{t('feedsIntro')}</p>
      <AsyncView state={state} retry={retry} isEmpty={(data) => data.sources.length === 0} empty={<p>{t('feedsNone')}</p>}>
        {(data) => {
          // The one staleness rule of the dashboard (StaleFeeds.tsx), so every page agrees.
          const stale = new Set(staleSources(data.sources, now));
          const rows = data.sources.map((source) => ({
            source,
            cadence: STALE_AFTER_DAYS[(source.kind || source.source).toLowerCase()] ?? 0,
            date: source.source_date || source.applied_at,
            stale: stale.has(source),
          }));
          return (
            <>
              {rows.some((row) => row.stale) ? null : <p>{t('feedsAllFresh')}</p>}
              <ul className="home-list">
                {rows.map(({ source, cadence, date, stale }) => (
                  <li key={source.source} data-feed={source.kind} data-stale={stale}>
                    {stale ? (
                      <strong className="home-risk home-risk-overdue">
                        <span aria-hidden="true">⚠ </span>
                        {t('feedStale', { source: source.source.toUpperCase(), date: day(date), days: count('days', cadence) })}
                      </strong>
                    ) : (
                      t('feedFresh', { source: source.source.toUpperCase(), date: day(date) })
                    )}
                  </li>
                ))}
              </ul>
              <p>
                <a href="#/vulnerabilities">{t('feedsLink')}</a>
              </p>
            </>
          );
        }}
      </AsyncView>
    </Section>
  );
}

/** Sightings of the indicators the member shared (and who saw them), and of indicators seen at the member. */
export function IndicatorsSection({ code }: { code: string }) {
  const t = useT('home');
  const count = useCount();
  const day = useDay();
  const [state, retry] = useAsync((signal) => recentlySighted(signal), []);
  return (
    <Section id="indicators" title={t('indicatorsHeading')}>
      <AsyncView state={state} retry={retry}>
        {(indicators) => {
          const shared = indicators.filter((item) => item.producer?.code === code);
          const atHome = indicators
            .map((item) => ({ item, own: item.sightings.visible.filter((s) => s.organisation?.code === code) }))
            .filter(({ own }) => own.length > 0);
          return (
            <>
              {indicators.length >= SIGHTED_LIMIT ? <p className="hint">{t('indicatorsWindow', { n: SIGHTED_LIMIT })}</p> : null}
              <h3>{t('indicatorsSharedHeading')}</h3>
              {shared.length === 0 ? (
                <p data-testid="home-shared-none">{t('indicatorsSharedNone')}</p>
              ) : (
                <ul className="home-list" data-testid="home-shared">
                  {shared.map((item) => {
                    const others = item.sightings.visible.filter((s) => s.organisation?.code !== code);
                    const names = [...new Set(others.map((s) => s.organisation?.name ?? t('indicatorUnnamed')))];
                    const name = item.name || item.pattern || item.id;
                    return (
                      <li key={item.id} data-indicator={item.id}>
                        <a href={indicatorHref(item.id)}>{t('openIndicator', { name })}</a>
                        <br />
                        <span data-testid="home-seen-by">{t('indicatorSeenBy', { who: names.join(', ') || t('indicatorUnnamed') })}</span>
                        <span className="home-meta">
                          {' · '}
                          {count('observations', item.sightings.count ?? 0)} ·{' '}
                          {t('indicatorLastSeen', { date: day(item.sightings.last_seen) })}
                        </span>
                      </li>
                    );
                  })}
                </ul>
              )}
              <h3>{t('indicatorsHomeHeading')}</h3>
              {atHome.length === 0 ? (
                <p data-testid="home-athome-none">{t('indicatorsHomeNone')}</p>
              ) : (
                <ul className="home-list" data-testid="home-athome">
                  {atHome.map(({ item, own }) => {
                    const total = own.reduce((sum, s) => sum + s.count, 0);
                    const last = own.map((s) => s.last_seen ?? '').sort().at(-1);
                    return (
                      <li key={item.id} data-indicator={item.id}>
                        <a href={indicatorHref(item.id)}>{t('openIndicator', { name: item.name || item.pattern || item.id })}</a>
                        <br />
                        <span className="home-meta">
                          {count('observations', total)} · {t('indicatorLastSeen', { date: day(last) })}
                        </span>
                      </li>
                    );
                  })}
                </ul>
              )}
            </>
          );
        }}
      </AsyncView>
    </Section>
  );
}

/** The duty chain's notifications nobody has acknowledged yet. */
export function DutySection({ code }: { code: string }) {
  const t = useT('home');
  const { lang } = useI18n();
  const count = useCount();
  const kindLabel = useKindLabel();
  const [state, retry] = useAsync((signal) => listNotifications(code, signal), [code]);
  return (
    <Section id="duty" title={t('dutyHeading')}>
      <AsyncView state={state} retry={retry}>
        {(data) => {
          const open = data.notifications.filter(isOpen);
          return (
            <>
              {open.length === 0 ? (
                <p data-testid="home-duty-none">{t('dutyNone')}</p>
              ) : (
                <>
                  <p data-testid="home-duty-count">{count('notifications', open.length)}</p>
                  <ul className="home-list">
                    {open.slice(0, 5).map((item) => (
                      <li key={item.id}>
                        {item.event.subject[lang]}
                        <br />
                        <span className="home-meta">
                          {kindLabel(item.event.kind)} · <SeverityLabel severity={item.event.severity} />
                        </span>
                      </li>
                    ))}
                  </ul>
                </>
              )}
              <p>
                <a href="#/duty">{t('dutyLink')}</a>
              </p>
            </>
          );
        }}
      </AsyncView>
    </Section>
  );
}

/** The coordinator's guidance to this member, newest first. */
export function GuidanceSection() {
  const t = useT('home');
  const day = useDay();
  const [state, retry] = useAsync((signal) => listGuidance(signal), []);
  return (
    <Section id="guidance" title={t('guidanceHeading')}>
      <AsyncView state={state} retry={retry} isEmpty={(data) => data.items.length === 0} empty={<p>{t('guidanceNone')}</p>}>
        {(data) => (
          <>
            <ul className="home-list">
              {data.items.slice(0, 5).map((item) => (
                <li key={item.id}>
                  <strong>{item.title}</strong>
                  <br />
                  <span className="home-meta">{t('guidanceFrom', { from: item.from.name, date: day(item.posted.utc) })}</span>
                </li>
              ))}
            </ul>
            <p>
              <a href="#/incidents">{t('guidanceLink')}</a>
            </p>
          </>
        )}
      </AsyncView>
    </Section>
  );
}

/** The member's baseline score beside the national, regional and size-band medians. */
export function BaselineSection({ code }: { code: string }) {
  const t = useT('home');
  const { formatNumber } = useI18n();
  const [state, retry] = useAsync((signal) => getMemberBaseline(code, signal), [code]);
  const score = (value: number | null | undefined) => (typeof value === 'number' ? formatNumber(value, 1) : t('baselineHidden'));
  return (
    <Section id="baseline" title={t('baselineHeading')}>
      <AsyncView state={state} retry={retry}>
        {(view) => (
          <>
            <dl className="home-facts" data-testid="home-comparison">
              <div data-fact="own">
                <dt>{t('baselineOwn')}</dt>
                <dd>{score(view.comparison.own)}</dd>
              </div>
              <div data-fact="national">
                <dt>{t('baselineNational')}</dt>
                <dd>{score(view.comparison.national_median)}</dd>
              </div>
              <div data-fact="region">
                <dt>{t('baselineRegion')}</dt>
                <dd>{score(view.comparison.region_median)}</dd>
              </div>
              <div data-fact="size">
                <dt>{t('baselineSize')}</dt>
                <dd>{score(view.comparison.size_band_median)}</dd>
              </div>
            </dl>
            <p>
              <a href={`#/baseline/${encodeURIComponent(code)}`}>{t('baselineLink')}</a>
            </p>
          </>
        )}
      </AsyncView>
    </Section>
  );
}
