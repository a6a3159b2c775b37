import { useId } from 'react';
import { useI18n, useT } from '../../i18n';
import './charts.css';

/**
 * The hub's decay rule (docs/stix.md, "Confidence and decay"):
 * confidence(t) = base × max(0, 1 − (Δ / τ)^(1/δ)) with δ = 0.5, Δ the time
 * since `decay_from`, τ the lifetime. The hub answers only the parameters
 * (base, lifetime_days, decay_from) and today's value, not the curve, so the
 * curve is computed here from the documented rule; today's point is the
 * hub's own `current`.
 */
export const DECAY_DELTA = 0.5;
/** Below this confidence an indicator is expired (docs/stix.md). */
export const EXPIRED_BELOW = 20;
const DAY = 86_400_000;

export function decayedConfidence(base: number, lifetimeDays: number, decayFrom: number, at: number): number {
  const elapsed = Math.max(0, at - decayFrom) / (lifetimeDays * DAY);
  return base * Math.max(0, 1 - elapsed ** (1 / DECAY_DELTA));
}

/** When the confidence falls to `level` (never below 0), as a time. */
export function timeAtConfidence(base: number, lifetimeDays: number, decayFrom: number, level: number): number {
  const share = Math.max(0, Math.min(1, 1 - level / base));
  return decayFrom + share ** DECAY_DELTA * lifetimeDays * DAY;
}

export interface DecayCurveProps {
  base: number;
  lifetimeDays: number;
  decayFrom: string;
  expiresAt: string | null;
  /** The hub's confidence now. */
  current: number;
  now?: number;
  /** The minimum confidence of the caller's blocking list, when known. */
  feedMinimum?: number | null;
  testId?: string;
}

const W = 360;
const H = 170;
const L = 30;
const R = 12;
const T = 18;
const B = 24;

export function DecayCurve({ base, lifetimeDays, decayFrom, expiresAt, current, now = Date.now(), feedMinimum, testId = 'decay-curve' }: DecayCurveProps) {
  const t = useT('charts');
  const { formatNumber, formatDate } = useI18n();
  const id = useId();
  const start = Date.parse(decayFrom);
  if (!Number.isFinite(start) || !(lifetimeDays > 0) || !(base > 0)) return null;
  const end = start + lifetimeDays * DAY;
  const t0 = Math.min(start, now);
  const t1 = Math.max(end, now);
  const x = (ms: number) => L + ((ms - t0) / (t1 - t0)) * (W - L - R);
  const y = (v: number) => T + (1 - Math.max(0, Math.min(100, v)) / 100) * (H - T - B);
  const path = (from: number, to: number) => {
    if (to <= from) return '';
    const steps = 48;
    return Array.from({ length: steps + 1 }, (_, i) => {
      const ms = from + ((to - from) * i) / steps;
      return `${i === 0 ? 'M' : 'L'}${x(ms).toFixed(1)},${y(decayedConfidence(base, lifetimeDays, start, ms)).toFixed(1)}`;
    }).join(' ');
  };
  const expires = expiresAt ? Date.parse(expiresAt) : NaN;
  const feed = feedMinimum !== null && feedMinimum !== undefined && feedMinimum > 0 && feedMinimum < base ? feedMinimum : null;
  const feedAt = feed === null ? null : timeAtConfidence(base, lifetimeDays, start, feed);
  const value = (v: number) => formatNumber(v, 0);
  const todayX = x(now);
  const anchor = todayX < W * 0.25 ? 'start' : todayX > W * 0.75 ? 'end' : 'middle';

  const rows: { key: string; label: string; at: number; value: number }[] = [
    { key: 'start', label: formatDate(start, 'date'), at: start, value: base },
    { key: 'today', label: t('today'), at: now, value: current },
  ];
  if (feedAt !== null && feedAt > now) rows.push({ key: 'feed', label: t('dropsBelowFeed'), at: feedAt, value: feed ?? 0 });
  if (Number.isFinite(expires)) rows.push({ key: 'expires', label: t('expires'), at: expires, value: decayedConfidence(base, lifetimeDays, start, expires) });
  rows.push({ key: 'end', label: formatDate(end, 'date'), at: end, value: 0 });
  rows.sort((a, b) => a.at - b.at);

  return (
    <figure className="chart" data-testid={testId} data-current={current} data-base={base} data-lifetime={lifetimeDays}>
      <svg viewBox={`0 0 ${W} ${H}`} className="chart-svg" role="img" aria-labelledby={`${id}-title ${id}-desc`}>
        <title id={`${id}-title`}>{t('decayTitle')}</title>
        <desc id={`${id}-desc`}>
          {[
            t('todayValue', { value: value(current) }),
            Number.isFinite(expires) ? `${t('expires')}: ${formatDate(expires, 'date')}` : '',
            feed !== null ? t('feedLine', { n: value(feed) }) : '',
            t('decayRule', { base: value(base), days: formatNumber(lifetimeDays) }),
          ]
            .filter(Boolean)
            .join('. ')}
        </desc>
        {[0, 50, 100].map((v) => (
          <g key={v}>
            <line x1={L} x2={W - R} y1={y(v)} y2={y(v)} className={v === 0 ? 'chart-baseline' : 'chart-gridline'} />
            <text x={L - 4} y={y(v) + 4} textAnchor="end" className="chart-axis">
              {v}
            </text>
          </g>
        ))}
        <line x1={L} x2={W - R} y1={y(EXPIRED_BELOW)} y2={y(EXPIRED_BELOW)} className="chart-threshold" data-threshold={EXPIRED_BELOW} />
        <text x={W - R} y={y(EXPIRED_BELOW) - 4} textAnchor="end" className="chart-value">
          {t('expiryLine', { n: EXPIRED_BELOW })}
        </text>
        {feed !== null ? (
          <g data-testid={`${testId}-feed`}>
            <line x1={L} x2={W - R} y1={y(feed)} y2={y(feed)} className="chart-feed" />
            <text x={W - R} y={y(feed) - 4} textAnchor="end" className="chart-value">
              {t('feedLine', { n: value(feed) })}
            </text>
          </g>
        ) : null}
        <path d={path(start, Math.min(now, end))} className="chart-curve" />
        <path d={path(Math.max(start, now), end)} className="chart-curve-future" />
        <g data-testid={`${testId}-today`}>
          <line x1={todayX} x2={todayX} y1={T} y2={H - B} className="chart-own-line" />
          <circle cx={todayX} cy={y(current)} r={4.5} className="chart-today" />
          <text x={todayX} y={T - 5} textAnchor={anchor} className="chart-own-label">
            {t('todayValue', { value: value(current) })}
          </text>
        </g>
        <text x={L} y={H - 6} className="chart-axis">
          {formatDate(t0, 'date')}
        </text>
        <text x={W - R} y={H - 6} textAnchor="end" className="chart-axis">
          {formatDate(t1, 'date')}
        </text>
      </svg>
      <figcaption className="chart-caption">
        {t('decayDesc')} {t('decayRule', { base: value(base), days: formatNumber(lifetimeDays) })}
      </figcaption>
      {/* A table is as wide as its content whatever its width: the wrapper hides it. */}
      <div className="visually-hidden">
      <table data-testid={`${testId}-table`}>
        <caption>{t('decayTitle')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('when')}</th>
            <th scope="col">{t('value')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} data-row={row.key}>
              <th scope="row">{row.key === 'today' || row.key === 'start' || row.key === 'end' ? row.label : `${row.label} ${formatDate(row.at, 'date')}`}</th>
              <td>{value(row.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
    </figure>
  );
}
