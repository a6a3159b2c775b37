import { useState, type FormEvent } from 'react';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { Loading } from '../../ui/Loading';
import { ApiError } from '../../api';
import { memberHref } from '../../nav';
import { ThreatControls, useFormat, useRiskMessages } from './common';
import { postPlan, type PlanReport, type ThreatLevels } from './riskApi';

const STRATEGY_COLOURS: Record<string, string> = {
  greedy: '#D55E00',
  largest_first: '#0072B2',
  lowest_level_first: '#009E73',
  spread_evenly: '#CC79A7',
};

type RunState = { status: 'idle' } | { status: 'running' } | { status: 'ok'; data: PlanReport } | { status: 'error'; error: ApiError };

function Curve({ report }: { report: PlanReport }) {
  const m = useRiskMessages();
  const { number } = useFormat();
  const width = 560;
  const height = 300;
  const pad = { left: 64, right: 16, top: 12, bottom: 40 };
  const points = report.strategies.flatMap((s) => s.curve);
  const maxBudget = Math.max(1, ...points.map((p) => p.budgetKr));
  const harms = points.map((p) => p.harm);
  const maxHarm = Math.max(...harms, report.estimatedHarmBefore);
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
            points={s.curve.map((p) => `${sx(p.budgetKr)},${sy(p.harm)}`).join(' ')}
          />
        ))}
      </svg>
      <figcaption className="risk-legend">
        {report.strategies.map((s) => (
          <span key={s.strategy}>
            <span className="swatch" style={{ background: STRATEGY_COLOURS[s.strategy] ?? '#555' }} />
            {m(`strategy.${s.strategy}` as 'strategy.greedy')}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

export function PlanPage() {
  const m = useRiskMessages();
  const { number, interval } = useFormat();
  const [budget, setBudget] = useState(50_000_000);
  const [threat, setThreat] = useState<ThreatLevels>({});
  const [run, setRun] = useState<RunState>({ status: 'idle' });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setRun({ status: 'running' });
    postPlan(budget, threat).then(
      (data) => setRun({ status: 'ok', data }),
      (err: unknown) =>
        setRun({ status: 'error', error: err instanceof ApiError ? err : new ApiError('invalid', String(err)) }),
    );
  };

  const greedy = run.status === 'ok' ? run.data.strategies.find((s) => s.strategy === 'greedy') : undefined;
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
          <button type="submit" disabled={run.status === 'running'} data-testid="plan-run">
            {m('plan.run')}
          </button>
        </form>
      </section>
      {run.status === 'running' ? <Loading /> : null}
      {run.status === 'error' ? <ErrorMessage error={run.error} /> : null}
      {run.status === 'ok' ? (
        <div className="risk-plan-result" data-testid="plan-result">
          <section className="panel">
            <h2>{m('plan.strategies')}</h2>
            <p>{m('plan.before', { value: interval(run.data.harmBefore) })}</p>
            <table className="member-table" data-testid="plan-strategies">
              <thead>
                <tr>
                  <th scope="col">{m('plan.col.strategy')}</th>
                  <th scope="col" className="num">{m('plan.col.spent')}</th>
                  <th scope="col" className="num">{m('plan.col.harm')}</th>
                  <th scope="col" className="num">{m('plan.col.change')}</th>
                </tr>
              </thead>
              <tbody>
                {run.data.strategies.map((s) => (
                  <tr key={s.strategy} data-strategy={s.strategy}>
                    <td>{m(`strategy.${s.strategy}` as 'strategy.greedy')}</td>
                    <td className="num">{number(s.spentKr)}</td>
                    <td className="num">{interval(s.simulatedHarm)}</td>
                    <td className="num">{`${s.changePercent > 0 ? '+' : ''}${number(s.changePercent, 1)} %`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h2>{m('plan.curve')}</h2>
            <Curve report={run.data} />
          </section>
          {greedy ? (
            <section className="panel">
              <h2>{m('plan.list')}</h2>
              <table className="member-table" data-testid="plan-list">
                <thead>
                  <tr>
                    <th scope="col">{m('plan.col.org')}</th>
                    <th scope="col" className="num">{m('plan.col.level')}</th>
                    <th scope="col" className="num">{m('plan.col.cost')}</th>
                  </tr>
                </thead>
                <tbody>
                  {greedy.investments.map((inv) => (
                    <tr key={inv.code}>
                      <td>
                        <a href={memberHref(inv.code)}>{inv.name}</a>
                      </td>
                      <td className="num">{`${number(inv.fromLevel, 2)} → ${number(inv.toLevel, 2)}`}</td>
                      <td className="num">{number(inv.costKr)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
