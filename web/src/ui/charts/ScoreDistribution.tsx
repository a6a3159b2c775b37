import { useId } from 'react';
import { useI18n, useT } from '../../i18n';
import './charts.css';

/** One comparison group as the hub publishes it: counts per 10-point band (null = 1–4, withheld) and quartiles. */
export interface DistributionGroup {
  id: string;
  label: string;
  members: number;
  p25: number;
  median: number;
  p75: number;
  /** Ten bands, 0–10 … 90–100; null where the hub withholds a count of 1–4. */
  histogram: (number | null)[];
}

export interface ScoreDistributionProps {
  /** Only the groups the hub publishes: a suppressed group is never passed in. */
  groups: DistributionGroup[];
  /** Labels of the groups the hub withholds (fewer than `minGroupSize` members). */
  withheld: string[];
  minGroupSize: number;
  own: { name: string; score: number | null };
  testId?: string;
}

const W = 360;
const PAD_X = 10;
const TOP = 22;
const ROW = 84;
const BOTTOM = 22;
const BAR_TOP = 18;
const BAR_H = 40;
const BOX_Y = 62;
const BOX_H = 12;
/** A withheld band (1–4 members) is drawn as an empty frame of this many members' height. */
const FEW = 4;

const x = (score: number) => PAD_X + (Math.max(0, Math.min(100, score)) / 100) * (W - 2 * PAD_X);

/**
 * Where a member stands: for each published comparison group, its members
 * per 10-point band as bars, its middle half as a box with the median, and
 * the member's own score as one dashed line across all groups, labelled.
 * The same numbers are in a table for screen readers.
 */
export function ScoreDistribution({ groups, withheld, minGroupSize, own, testId = 'score-distribution' }: ScoreDistributionProps) {
  const t = useT('charts');
  const { formatNumber } = useI18n();
  const id = useId();
  const score = (v: number) => formatNumber(v, 1);
  const height = TOP + groups.length * ROW + BOTTOM;
  const ownLabel = own.score === null ? null : t('own', { name: own.name, score: score(own.score) });
  const ownX = own.score === null ? 0 : x(own.score);
  const anchor = ownX < W * 0.25 ? 'start' : ownX > W * 0.75 ? 'end' : 'middle';
  const bandWidth = (W - 2 * PAD_X) / 10;
  const hasFew = groups.some((g) => g.histogram.some((n) => n === null));

  return (
    <figure className="chart" data-testid={testId} data-own={own.score ?? ''}>
      <svg
        viewBox={`0 0 ${W} ${height}`}
        className="chart-svg"
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
      >
        <title id={`${id}-title`}>{t('distributionTitle')}</title>
        <desc id={`${id}-desc`}>
          {[
            ownLabel ?? t('noOwnScore'),
            ...groups.map((g) =>
              t('summaryRow', { group: g.label, median: score(g.median), p25: score(g.p25), p75: score(g.p75) }),
            ),
            ...withheld.map((label) => t('withheld', { group: label, n: minGroupSize })),
          ].join('. ')}
        </desc>
        {groups.map((g, row) => {
          const y0 = TOP + row * ROW;
          const max = Math.max(FEW, ...g.histogram.map((n) => n ?? FEW));
          const barHeight = (n: number) => (n / max) * BAR_H;
          return (
            <g key={g.id} data-group={g.id}>
              <text x={PAD_X} y={y0 + 12} className="chart-label">
                {t('groupLine', { group: g.label, members: g.members })}
              </text>
              <line x1={PAD_X} x2={W - PAD_X} y1={y0 + BAR_TOP + BAR_H} y2={y0 + BAR_TOP + BAR_H} className="chart-baseline" />
              {g.histogram.map((n, band) => {
                const bx = PAD_X + band * bandWidth + 1.5;
                const bw = bandWidth - 3;
                if (n === null) {
                  const h = barHeight(FEW);
                  return (
                    <rect key={band} x={bx} y={y0 + BAR_TOP + BAR_H - h} width={bw} height={h} className="chart-bar-few" />
                  );
                }
                if (n === 0) return null;
                const h = barHeight(n);
                return <rect key={band} x={bx} y={y0 + BAR_TOP + BAR_H - h} width={bw} height={h} className="chart-bar" />;
              })}
              <rect x={x(g.p25)} y={y0 + BOX_Y} width={Math.max(1, x(g.p75) - x(g.p25))} height={BOX_H} className="chart-box" />
              <line x1={x(g.median)} x2={x(g.median)} y1={y0 + BOX_Y - 3} y2={y0 + BOX_Y + BOX_H + 3} className="chart-median" />
            </g>
          );
        })}
        {[0, 20, 40, 60, 80, 100].map((v) => (
          <text key={v} x={x(v)} y={height - 6} textAnchor={v === 0 ? 'start' : v === 100 ? 'end' : 'middle'} className="chart-axis">
            {v}
          </text>
        ))}
        {own.score !== null ? (
          <g data-testid={`${testId}-own`} className="chart-own">
            <line x1={ownX} x2={ownX} y1={TOP - 4} y2={height - BOTTOM} className="chart-own-line" />
            <path d={`M${ownX - 5},${TOP - 9} L${ownX + 5},${TOP - 9} L${ownX},${TOP - 3} Z`} className="chart-own-mark" />
            <text x={ownX} y={TOP - 11} textAnchor={anchor} className="chart-own-label">
              {ownLabel}
            </text>
          </g>
        ) : null}
      </svg>
      <figcaption className="chart-caption">
        {t('distributionDesc')}
        {hasFew ? ` ${t('fewMembersNote')}` : ''}
        {withheld.map((label) => (
          <span key={label} className="chart-withheld">
            {' '}
            {t('withheld', { group: label, n: minGroupSize })}
          </span>
        ))}
      </figcaption>
      {/* A table is as wide as its content whatever its width: the wrapper hides it. */}
      <div className="visually-hidden">
      <table data-testid={`${testId}-table`}>
        <caption>{t('distributionTitle')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('band')}</th>
            {groups.map((g) => (
              <th key={g.id} scope="col">
                {g.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: 10 }, (_, band) => (
            <tr key={band}>
              <th scope="row">{`${band * 10}–${band * 10 + 10}`}</th>
              {groups.map((g) => {
                const n = g.histogram[band];
                return <td key={g.id}>{n === null || n === undefined ? t('fewMembers') : formatNumber(n)}</td>;
              })}
            </tr>
          ))}
          <tr>
            <th scope="row">{t('quartiles')}</th>
            {groups.map((g) => (
              <td key={g.id} data-median={g.median}>
                {`${score(g.p25)} / ${score(g.median)} / ${score(g.p75)}`}
              </td>
            ))}
          </tr>
          <tr>
            <th scope="row">{t('membersInBand')}</th>
            {groups.map((g) => (
              <td key={g.id}>{formatNumber(g.members)}</td>
            ))}
          </tr>
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{own.name}</th>
            <td colSpan={Math.max(1, groups.length)} data-testid={`${testId}-own-cell`}>
              {own.score === null ? t('noOwnScore') : t('ownRow', { score: score(own.score) })}
            </td>
          </tr>
        </tfoot>
      </table>
      </div>
    </figure>
  );
}
