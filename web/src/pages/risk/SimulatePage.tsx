import { useState, type FormEvent } from 'react';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { Loading } from '../../ui/Loading';
import { ApiError } from '../../api';
import { memberHref } from '../../nav';
import { useAsync } from '../../ui/useAsync';
import { Stat, ThreatControls, useFormat, useRiskMessages } from './common';
import { getGraph, getSimulation, type Simulation, type ThreatLevels } from './riskApi';

const GROUPS = ['supplier', 'shared_system', 'state_body', 'region', 'municipality', 'other'] as const;

type RunState = { status: 'idle' } | { status: 'running' } | { status: 'ok'; data: Simulation } | { status: 'error'; error: ApiError };

export function SimulatePage({ initialSource }: { initialSource?: string }) {
  const m = useRiskMessages();
  const { number, interval, percent } = useFormat();
  const [graph, retryGraph] = useAsync((signal) => getGraph(signal), []);
  const [source, setSource] = useState(initialSource ?? 'KMD');
  const [runs, setRuns] = useState(10000);
  const [threat, setThreat] = useState<ThreatLevels>({});
  const [run, setRun] = useState<RunState>({ status: 'idle' });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setRun({ status: 'running' });
    getSimulation(source, runs, 15, threat).then(
      (data) => setRun({ status: 'ok', data }),
      (err: unknown) =>
        setRun({ status: 'error', error: err instanceof ApiError ? err : new ApiError('invalid', String(err)) }),
    );
  };

  const nodes = graph.status === 'ok' ? graph.data.nodes : [];
  const grouped = GROUPS.map((kind) => ({
    kind,
    nodes: nodes
      .filter((node) => (kind === 'other' ? !GROUPS.slice(0, -1).includes(node.kind as never) : node.kind === kind))
      .sort((a, b) => a.name.localeCompare(b.name, 'da')),
  })).filter((group) => group.nodes.length > 0);

  return (
    <div className="risk-simulate">
      <section className="panel">
        <h1>{m('sim.title')}</h1>
        <p className="hint">{m('sim.intro')}</p>
        {graph.status === 'error' ? <ErrorMessage error={graph.error} onRetry={retryGraph} /> : null}
        <form className="risk-form" onSubmit={submit} data-testid="sim-form">
          <label>
            {m('sim.source')}
            <select value={source} onChange={(e) => setSource(e.target.value)} data-testid="sim-source">
              <optgroup label={m('sim.group.scenario')}>
                <option value="random">{m('sim.random')}</option>
                <option value="threat">{m('sim.threat')}</option>
              </optgroup>
              {grouped.map((group) => (
                <optgroup key={group.kind} label={m(`sim.group.${group.kind}`)}>
                  {group.nodes.map((node) => (
                    <option key={node.code} value={node.code}>
                      {node.name} ({node.code})
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </label>
          <label>
            {m('sim.runs')}
            <input
              type="number"
              min={100}
              max={200000}
              step={100}
              value={runs}
              onChange={(e) => setRuns(Math.max(1, Number(e.target.value) || 1))}
            />
          </label>
          <ThreatControls value={threat} onChange={setThreat} />
          <button type="submit" disabled={run.status === 'running'} data-testid="sim-run">
            {m('sim.run')}
          </button>
        </form>
      </section>
      {run.status === 'running' ? <Loading /> : null}
      {run.status === 'error' ? <ErrorMessage error={run.error} /> : null}
      {run.status === 'ok' ? (
        <section className="panel" data-testid="sim-result">
          <p className="hint">{m('sim.meta', { runs: number(run.data.runs), seed: run.data.seed })}</p>
          <div className="risk-stats">
            <Stat
              testId="sim-members"
              label={m('sim.members')}
              value={number(run.data.membersHit.mean, 1)}
              detail={`${m('sim.interval')} ${interval(run.data.membersHit, 1)}`}
            />
            <Stat
              testId="sim-population"
              label={m('sim.population')}
              value={number(run.data.populationAffected.mean)}
              detail={`${m('sim.interval')} ${interval(run.data.populationAffected)}`}
            />
            <Stat
              testId="sim-critical"
              label={m('sim.critical')}
              value={number(run.data.criticalHit.mean, 2)}
              detail={`${m('sim.interval')} ${interval(run.data.criticalHit, 2)}`}
            />
          </div>
          <h2>{m('sim.tail')}</h2>
          <table className="member-table risk-tail" data-testid="sim-tail">
            <thead>
              <tr>
                <th scope="col" />
                <th scope="col" className="num">VaR 95</th>
                <th scope="col" className="num">CVaR 95</th>
                <th scope="col" className="num">VaR 99</th>
                <th scope="col" className="num">CVaR 99</th>
              </tr>
            </thead>
            <tbody>
              {(
                [
                  ['sim.members', run.data.membersTail],
                  ['sim.population', run.data.populationTail],
                ] as const
              ).map(([label, tail]) => (
                <tr key={label}>
                  <th scope="row">{m(label)}</th>
                  <td className="num">{number(tail.var95)}</td>
                  <td className="num">{number(tail.cvar95)}</td>
                  <td className="num">{number(tail.var99)}</td>
                  <td className="num">{number(tail.cvar99)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>{m('sim.mostHit')}</h2>
          <ol className="risk-most-hit">
            {run.data.mostHit.map((entry) => (
              <li key={entry.code}>
                <a href={memberHref(entry.code)}>{entry.name}</a> {percent(entry.probability)}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </div>
  );
}
