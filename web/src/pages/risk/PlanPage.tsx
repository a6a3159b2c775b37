import { useState, type FormEvent } from 'react';
import { memberHref } from '../../nav';
import { AsyncView } from '../../ui/AsyncView';
import { DataTable } from '../../ui/DataTable';
import { useAction } from '../../ui/useAction';
import { ThreatControls, useFormat, useRiskMessages } from './common';
import { postPlan, type PlanReport, type StrategyResult, type ThreatLevels } from './riskApi';

const STRATEGY_COLOURS: Record<string, string> = {
  greedy: '#D55E00',
  largest_first: '#0072B2',
  lowest_level_first: '#009E73',
  spread_evenly: '#CC79A7',
};

function Curve({ report }: { report: PlanReport }) {
  const m = useRiskMessages();
  const { number } = useFormat();
  const width = 560;
  const height = 300;
  const pad = { left: 64, right: 16, top: 12, bottom: 40 };
  const points = report.strategies.flatMap((s) => s.curve);
  const maxBudget = Math.max(1, ...points.map((p) => p.budget_kr));
  const harms = points.map((p) => p.estimated_harm);
  const maxHarm = Math.max(...harms, report.estimated_harm_before);
  const minHarm = Math.min(...harms) * 0.95;
  const sx = (v: number) => pad.left + ((width - pad.left - pad.right) * v) / maxBudget;
  const sy = (v: number) =>
    pad.top + ((height - pad.top - pad.bottom) * (maxHarm - v)) / Math.max(1, maxHarm - minHarm);
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return (
    <figure className="risk-curve">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={m('plan.curveLabel')} data-testid="plan-curve">
        <line x1={pad.left} y1={height - pad.bottom} x2={width - pad.right} y2={height - pad.bottom} className="axis" />
        <line x1={pad.left} y1={pad.top} x2={pad.left} y2={height - pad.bottom} className="axis" />
        {ticks.map((t) => (
          <g key={t}>
            <text x={sx(t * maxBudget)} y={height - pad.bottom + 16} textAnchor="middle">
              {number((t * maxBudget) / 1e6)}
            </text>
            <text x={pad.left - 6} y={sy(minHarm + t * (maxHarm - minHarm)) + 4} textAnchor="end">
              {number((minHarm + t * (maxHarm - minHarm)) / 1e6, 1)}
            </text>
          </g>
        ))}
        <text x={(pad.left + width) / 2} y={height - 4} textAnchor="middle" className="axis-label">
          {m('plan.axisBudget')}
        </text>
        <text x={12} y={height / 2} transform={`rotate(-90 12 ${height / 2})`} textAnchor="middle" className="axis-label">
          {m('plan.axisHarm')}
        </text>
        {report.strategies.map((s) => (
          <polyline
            key={s.strategy}
            data-strategy={s.strategy}
            fill="none"
            stroke={STRATEGY_COLOURS[s.strategy] ?? '#555'}
            strokeWidth={s.strategy === 'greedy' ? 3 : 2}
            points={s.curve.map((p) => `${sx(p.budget_kr)},${sy(p.estimated_harm)}`).join(' ')}
          />
        ))}
      </svg>
      <figcaption className="risk-legend">
        {report.strategies.map((s) => (
          <span key={s.strategy}>
            <span className="swatch" style={{ background: STRATEGY_COLOURS[s.strategy] ?? '#555' }} />
            {m(`strategy.${s.strategy}`)}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

export function PlanPage() {
  const m = useRiskMessages();
  const [budget, setBudget] = useState(50_000_000);
  const [threat, setThreat] = useState<ThreatLevels>({});
  const plan = useAction(postPlan);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void plan.run(budget, threat);
  };

  return (
    <div className="risk-plan">
      <section className="panel">
        <h1>{m('plan.title')}</h1>
        <p className="hint">{m('plan.intro')}</p>
        <form className="risk-form" onSubmit={submit} data-testid="plan-form">
          <label>
            {m('plan.budget')}
            <input
              type="number"
              min={1}
              step="any"
              value={budget}
              onChange={(e) => setBudget(Math.max(1, Number(e.target.value) || 1))}
              data-testid="plan-budget"
            />
          </label>
          <ThreatControls value={threat} onChange={setThreat} />
          <button type="submit" disabled={plan.pending} data-testid="plan-run">
            {m('plan.run')}
          </button>
        </form>
      </section>
      <AsyncView state={plan.state}>{(report) => <PlanResult report={report} />}</AsyncView>
    </div>
  );
}

function PlanResult({ report }: { report: PlanReport }) {
  const m = useRiskMessages();
  const { number, interval } = useFormat();
  const greedy = report.strategies.find((s) => s.strategy === 'greedy');
  const strategyName = (s: StrategyResult) => m(`strategy.${s.strategy}`);
  return (
    <div className="risk-plan-result" data-testid="plan-result">
      <section className="panel">
        <h2>{m('plan.strategies')}</h2>
        <p>{m('plan.before', { value: interval(report.simulated_harm_before) })}</p>
        <DataTable
          rows={report.strategies}
          rowKey={(s) => s.strategy}
          className="member-table"
          testId="plan-strategies"
          ariaLabel={m('plan.strategies')}
          rowProps={(s) => ({ 'data-strategy': s.strategy })}
          columns={[
            { id: 'strategy', header: m('plan.col.strategy'), value: strategyName },
            { id: 'spent', header: m('plan.col.spent'), numeric: true, value: (s) => s.spent_kr, format: 'number' },
            {
              id: 'harm',
              header: m('plan.col.harm'),
              numeric: true,
              value: (s) => s.simulated_harm.mean,
              cell: (s) => interval(s.simulated_harm),
            },
            {
              id: 'change',
              header: m('plan.col.change'),
              numeric: true,
              value: (s) => s.change_percent,
              cell: (s) => `${s.change_percent > 0 ? '+' : ''}${number(s.change_percent, 1)} %`,
            },
          ]}
        />
        <h2>{m('plan.curve')}</h2>
        <Curve report={report} />
      </section>
      {greedy ? (
        <section className="panel">
          <h2>{m('plan.list')}</h2>
          <DataTable
            rows={greedy.investments}
            rowKey={(inv) => inv.code}
            className="member-table"
            testId="plan-list"
            ariaLabel={m('plan.list')}
            columns={[
              {
                id: 'org',
                header: m('plan.col.org'),
                value: (inv) => inv.name,
                cell: (inv) => <a href={memberHref(inv.code)}>{inv.name}</a>,
              },
              {
                id: 'level',
                header: m('plan.col.level'),
                numeric: true,
                value: (inv) => inv.to_level,
                cell: (inv) => `${number(inv.from_level, 2)} → ${number(inv.to_level, 2)}`,
              },
              { id: 'cost', header: m('plan.col.cost'), numeric: true, value: (inv) => inv.cost_kr, format: 'number' },
            ]}
          />
        </section>
      ) : null}
    </div>
  );
}
