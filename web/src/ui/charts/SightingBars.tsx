import { useId } from 'react';
import { useI18n, useT } from '../../i18n';
import { calendarKey } from '../format';
import './charts.css';

/** One sighting report as the hub lists it: how often, from when to when. */
export interface SightingRecord {
  count: number;
  first_seen: string | null;
  last_seen: string | null;
}

export interface SightingBucket {
  key: string;
  /** A moment inside the bucket, for its label. */
  at: number;
  count: number;
  reports: number;
}

const HOUR = 3_600_000;
const MAX_BUCKETS = 120;

/**
 * Sighting reports per day (or per hour when they all fall within two days),
 * each put in the bucket of its `last_seen` with its whole `count`: the hub
 * answers one count per report, first_seen..last_seen, and not how the count
 * is spread over that span, so nothing is spread here either.
 */
export function sightingBuckets(records: SightingRecord[]): { unit: 'day' | 'hour'; buckets: SightingBucket[] } {
  const seen = records
    .map((r) => ({ count: r.count, at: Date.parse(r.last_seen ?? r.first_seen ?? '') }))
    .filter((r) => Number.isFinite(r.at));
  if (seen.length === 0) return { unit: 'day', buckets: [] };
  const first = Math.min(...seen.map((r) => r.at));
  const last = Math.max(...seen.map((r) => r.at));
  const unit = last - first <= 48 * HOUR ? 'hour' : 'day';
  const step = unit === 'hour' ? HOUR / 2 : 12 * HOUR;
  const buckets = new Map<string, SightingBucket>();
  // Every bucket between the first and the last, empty ones too (half steps: a daylight-saving day is 23 or 25 hours).
  for (let at = first; at <= last + step; at += step) {
    const key = calendarKey(Math.min(at, last), unit);
    if (key && !buckets.has(key)) buckets.set(key, { key, at: Math.min(at, last), count: 0, reports: 0 });
  }
  for (const r of seen) {
    const bucket = buckets.get(calendarKey(r.at, unit) ?? '');
    if (bucket) {
      bucket.count += r.count;
      bucket.reports += 1;
    }
  }
  return { unit, buckets: [...buckets.values()].slice(-MAX_BUCKETS) };
}

const W = 360;
const H = 130;
const L = 8;
const R = 8;
const T = 18;
const B = 22;

export function SightingBars({
  records,
  hiddenReports = 0,
  testId = 'sighting-bars',
  compact = false,
}: {
  records: SightingRecord[];
  /** Reports the caller may not see one by one (counted only in the totals). */
  hiddenReports?: number;
  testId?: string;
  compact?: boolean;
}) {
  const t = useT('charts');
  const { formatNumber, formatDate, lang } = useI18n();
  const id = useId();
  const { unit, buckets } = sightingBuckets(records);
  if (buckets.length === 0) return null;
  const height = compact ? 90 : H;
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const slot = (W - L - R) / buckets.length;
  const barWidth = Math.max(1, Math.min(28, slot - (slot > 6 ? 2 : 0.5)));
  const y = (n: number) => T + (1 - n / max) * (height - T - B);
  const label = (b: SightingBucket) =>
    unit === 'day' ? formatDate(b.at, 'date') : `${formatDate(b.at, 'date')} ${b.key.slice(11)}${lang === 'da' ? '.00' : ':00'}`;
  const total = buckets.reduce((sum, b) => sum + b.count, 0);
  const reports = buckets.reduce((sum, b) => sum + b.reports, 0);
  const showValues = buckets.length <= 16;
  const description = unit === 'day' ? t('sightingsDescDay') : t('sightingsDescHour');
  const hidden = hiddenReports > 0 ? t('sightingsHiddenReports', { n: hiddenReports }) : '';

  return (
    <figure className="chart" data-testid={testId} data-unit={unit} data-total={total}>
      <svg viewBox={`0 0 ${W} ${height}`} className="chart-svg" role="img" aria-labelledby={`${id}-title ${id}-desc`}>
        <title id={`${id}-title`}>{t('sightingsTitle')}</title>
        <desc id={`${id}-desc`}>
          {[
            `${t('total')}: ${formatNumber(total)}`,
            ...buckets.filter((b) => b.count > 0).map((b) => `${label(b)}: ${formatNumber(b.count)}`),
            hidden,
          ]
            .filter(Boolean)
            .join('. ')}
        </desc>
        <line x1={L} x2={W - R} y1={height - B} y2={height - B} className="chart-baseline" />
        {buckets.map((b, i) => {
          const cx = L + slot * i + slot / 2;
          return b.count > 0 ? (
            <g key={b.key} data-bucket={b.key} data-count={b.count}>
              <rect x={cx - barWidth / 2} y={y(b.count)} width={barWidth} height={height - B - y(b.count)} className="chart-bar" />
              {showValues ? (
                <text x={cx} y={y(b.count) - 3} textAnchor="middle" className="chart-value">
                  {formatNumber(b.count)}
                </text>
              ) : null}
            </g>
          ) : null;
        })}
        {!showValues ? (
          <text x={L} y={T - 5} className="chart-axis">
            {`${formatNumber(max)}`}
          </text>
        ) : null}
        <text x={L} y={height - 6} className="chart-axis">
          {label(buckets[0]!)}
        </text>
        {buckets.length > 1 ? (
          <text x={W - R} y={height - 6} textAnchor="end" className="chart-axis">
            {label(buckets[buckets.length - 1]!)}
          </text>
        ) : null}
      </svg>
      {compact ? null : (
        <figcaption className="chart-caption">
          {description}
          {hidden ? ` ${hidden}` : ''}
        </figcaption>
      )}
      {/* A table is as wide as its content whatever its width: the wrapper hides it. */}
      <div className="visually-hidden">
      <table data-testid={`${testId}-table`}>
        <caption>{`${t('sightingsTitle')}. ${description}`}</caption>
        <thead>
          <tr>
            <th scope="col">{t('period')}</th>
            <th scope="col">{t('count')}</th>
            <th scope="col">{t('reports')}</th>
          </tr>
        </thead>
        <tbody>
          {buckets
            .filter((b) => b.count > 0 || b.reports > 0)
            .map((b) => (
              <tr key={b.key} data-bucket={b.key}>
                <th scope="row">{label(b)}</th>
                <td>{formatNumber(b.count)}</td>
                <td>{formatNumber(b.reports)}</td>
              </tr>
            ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('total')}</th>
            <td data-testid={`${testId}-total`}>{formatNumber(total)}</td>
            <td>{formatNumber(reports)}</td>
          </tr>
        </tfoot>
      </table>
      </div>
    </figure>
  );
}
