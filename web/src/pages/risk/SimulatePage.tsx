import { useState, type FormEvent } from 'react';
import { memberHref } from '../../nav';
import { AsyncView } from '../../ui/AsyncView';
import { DataTable } from '../../ui/DataTable';
import { useAction } from '../../ui/useAction';
import { useAsync } from '../../ui/useAsync';
import { Stat, ThreatControls, useFormat, useRiskMessages } from './common';
import { getGraph, getSimulation, type Simulation, type Tail, type ThreatLevels } from './riskApi';

const GROUPS = ['supplier', 'shared_system', 'state_body', 'region', 'municipality', 'other'] as const;

export function SimulatePage({ initialSource }: { initialSource?: string }) {
  const m = useRiskMessages();
  const [graph, retryGraph] = useAsync((signal) => getGraph(signal), []);
  const [source, setSource] = useState(initialSource ?? 'KMD');
  const [runs, setRuns] = useState(10000);
  const [threat, setThreat] = useState<ThreatLevels>({});
  const simulation = useAction((from: string, count: number, levels: ThreatLevels) => getSimulation(from, count, 15, levels));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void simulation.run(source, runs, threat);
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
        <AsyncView state={graph} retry={retryGraph}>
          {() => null}
        </AsyncView>
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
          <button type="submit" disabled={simulation.pending} data-testid="sim-run">
            {m('sim.run')}
          </button>
        </form>
      </section>
      <AsyncView state={simulation.state}>{(result) => <SimulationResult result={result} />}</AsyncView>
    </div>
  );
}

function SimulationResult({ result }: { result: Simulation }) {
  const m = useRiskMessages();
  const { number, interval, percent } = useFormat();
  const tails: { label: 'sim.members' | 'sim.population'; tail: Tail }[] = [
    { label: 'sim.members', tail: result.members_tail },
    { label: 'sim.population', tail: result.population_tail },
  ];
  const tailColumn = (key: keyof Tail, header: string) => ({
    id: key,
    header,
    numeric: true,
    cell: (row: (typeof tails)[number]) => number(row.tail[key]),
  });
  return (
    <section className="panel" data-testid="sim-result">
      <p className="hint">{m('sim.meta', { runs: number(result.runs), seed: result.seed })}</p>
      <div className="risk-stats">
        <Stat
          testId="sim-members"
          label={m('sim.members')}
          value={number(result.members_hit.mean, 1)}
          detail={`${m('sim.interval')} ${interval(result.members_hit, 1)}`}
        />
        <Stat
          testId="sim-population"
          label={m('sim.population')}
          value={number(result.population_affected.mean)}
          detail={`${m('sim.interval')} ${interval(result.population_affected)}`}
        />
        <Stat
          testId="sim-critical"
          label={m('sim.critical')}
          value={number(result.critical_hit.mean, 2)}
          detail={`${m('sim.interval')} ${interval(result.critical_hit, 2)}`}
        />
      </div>
      <h2>{m('sim.tail')}</h2>
      <DataTable
        rows={tails}
        rowKey={(row) => row.label}
        className="member-table risk-tail"
        testId="sim-tail"
        ariaLabel={m('sim.tail')}
        columns={[
          { id: 'label', header: '', rowHeader: true, cell: (row) => m(row.label) },
          tailColumn('var95', 'VaR 95'),
          tailColumn('cvar95', 'CVaR 95'),
          tailColumn('var99', 'VaR 99'),
          tailColumn('cvar99', 'CVaR 99'),
        ]}
      />
      <h2>{m('sim.mostHit')}</h2>
      <ol className="risk-most-hit">
        {result.most_hit.map((entry) => (
          <li key={entry.code}>
            <a href={memberHref(entry.code)}>{entry.name}</a> {percent(entry.probability)}
          </li>
        ))}
      </ol>
    </section>
  );
}
