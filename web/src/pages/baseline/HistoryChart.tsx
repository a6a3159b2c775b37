import { useI18n } from '../../i18n';
import type { HistoryPoint } from './api';

/** The overall score over time as a plain SVG line (0–100 on the y axis). */
export function HistoryChart({ points, label }: { points: HistoryPoint[]; label: string }) {
  const { formatDate, formatNumber } = useI18n();
  const scored = points.filter((p) => p.overall !== null);
  if (scored.length === 0) return null;
  const width = 480;
  const height = 160;
  const pad = { left: 34, right: 10, top: 10, bottom: 24 };
  const times = scored.map((p) => Date.parse(p.at));
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const x = (t: number) => pad.left + (t1 === t0 ? 0.5 : (t - t0) / (t1 - t0)) * (width - pad.left - pad.right);
  const y = (v: number) => pad.top + (1 - v / 100) * (height - pad.top - pad.bottom);
  const path = scored.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(Date.parse(p.at)).toFixed(1)},${y(p.overall ?? 0).toFixed(1)}`).join(' ');
  const first = scored[0];
  const last = scored[scored.length - 1];
  return (
    <svg
      className="bl-history"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={label}
      data-testid="baseline-history"
      data-points={scored.length}
    >
      {[0, 25, 50, 75, 100].map((v) => (
        <g key={v}>
          <line x1={pad.left} x2={width - pad.right} y1={y(v)} y2={y(v)} className="bl-grid" />
          <text x={pad.left - 6} y={y(v) + 4} textAnchor="end" className="bl-axis">
            {v}
          </text>
        </g>
      ))}
      <path d={path} className="bl-line" />
      {scored.map((p) => (
        <circle key={p.version} cx={x(Date.parse(p.at))} cy={y(p.overall ?? 0)} r={3} className="bl-dot">
          <title>{`${formatDate(p.at, 'date')}: ${p.overall === null ? '—' : formatNumber(p.overall, 1)}`}</title>
        </circle>
      ))}
      <text x={pad.left} y={height - 6} className="bl-axis">
        {first ? formatDate(first.at, 'date') : null}
      </text>
      <text x={width - pad.right} y={height - 6} textAnchor="end" className="bl-axis">
        {last ? formatDate(last.at, 'date') : null}
      </text>
    </svg>
  );
}
