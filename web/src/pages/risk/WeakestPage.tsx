import { useMemo, useState } from 'react';
import { useI18n } from '../../i18n';
import { memberHref } from '../../nav';
import { AsyncView } from '../../ui/AsyncView';
import { DataTable } from '../../ui/DataTable';
import { useAsync, type LoadState } from '../../ui/useAsync';
import { useFormat, useRiskMessages } from './common';
import { GraphView } from './GraphView';
import { RiskMap } from './RiskMap';
import { getGraphAt, getSimulation, getWeakest, graphRead, type Graph, type Simulation, type WeakLink, type Weakest } from './riskApi';

const SHOWN = 15;
/** The map's scenario: simulated spreads from one source, and how many organisations it lists. */
const SPREAD_RUNS = 5000;
const SPREAD_TOP = 1000;

interface Loaded {
  report: Weakest;
  /** The map's first scenario, asked for together with the ranking. */
  first: { source: string; spread: Promise<Simulation> } | null;
}

function useReason() {
  const m = useRiskMessages();
  const { relationLabel } = useI18n();
  const { number, percent } = useFormat();
  return (link: WeakLink) => {
    const parts = [
      `${m('weakest.reason.level', { level: number(link.security, 2) })}${
        link.security_source === 'baseline' ? ` ${m('weakest.reason.baseline')}` : ''
      }`,
      m('weakest.reason.exposure', { value: number(link.exposure, 2) }),
      m('weakest.reason.dependents', { n: link.dependents }),
    ];
    const gaps = Object.entries(link.gaps);
    if (gaps.length > 0) {
      parts.push(
        m('weakest.reason.gaps', {
          list: gaps.map(([relation, level]) => `${relationLabel(relation)} (${number(level, 2)})`).join(', '),
        }),
      );
    }
    if (link.top_edges.length > 0) {
      parts.push(
        m('weakest.reason.through', {
          list: link.top_edges
            .map((e) => `${e.dependent} (${relationLabel(e.relation)}, ${percent(e.share, 0)})`)
            .join(', '),
        }),
      );
    }
    return parts.join(' · ');
  };
}

export function WeakestPage() {
  const [weakest, retry] = useAsync(async (signal): Promise<Loaded> => {
    const report = await getWeakest(0, {}, signal);
    // The map's first scenario (the weakest link) is asked for as soon as the
    // ranking names it, not after the page has been drawn.
    const source = report.ranking[0]?.code;
    if (source === undefined) return { report, first: null };
    const spread = getSimulation(source, SPREAD_RUNS, SPREAD_TOP, {}, signal);
    spread.catch(() => undefined); // handled where it is used; unused when another source is chosen first
    return { report, first: { source, spread } };
  }, []);
  // The graph is read beside the ranking, not after it. When this sign-in
  // has read it before, the ranking's graph_version says whether that copy
  // still holds (then it is not read again: it is large).
  const [readBefore] = useState(graphRead);
  const version = weakest.status === 'ok' ? weakest.data.report.graph_version : undefined;
  const graphKey = !readBefore ? 'read' : weakest.status === 'loading' ? 'wait' : (version ?? 'read');
  const [graph, retryGraph] = useAsync(
    (signal) => (graphKey === 'wait' ? new Promise<Graph>(() => undefined) : getGraphAt(version, signal)),
    [graphKey],
  );
  return (
    <AsyncView state={weakest} retry={retry}>
      {({ report, first }) => <WeakestView report={report} first={first} graph={graph} retryGraph={retryGraph} />}
    </AsyncView>
  );
}

function WeakestView({
  report,
  first,
  graph,
  retryGraph,
}: {
  report: Weakest;
  first: Loaded['first'];
  graph: LoadState<Graph>;
  retryGraph: () => void;
}) {
  const m = useRiskMessages();
  const { kindLabel } = useI18n();
  const { number, interval, percent } = useFormat();
  const { relationLabel } = useI18n();
  const reason = useReason();
  const [selected, setSelected] = useState<string | null>(null);

  const ranking = report.ranking;
  const source = selected ?? ranking[0]?.code ?? null;
  const [spread] = useAsync(
    (signal) =>
      source === null
        ? Promise.resolve(null)
        : source === first?.source
          ? first.spread
          : getSimulation(source, SPREAD_RUNS, SPREAD_TOP, {}, signal),
    [source],
  );
  const hitByCode = useMemo(() => {
    if (spread.status !== 'ok' || spread.data === null) return null;
    return new Map(spread.data.most_hit.map((entry) => [entry.code, entry]));
  }, [spread]);
  const scoreByCode = useMemo(() => new Map(ranking.map((link) => [link.code, link.score.mean])), [ranking]);
  const sourceName = source === 'threat' ? m('map.threat') : ranking.find((l) => l.code === source)?.name ?? source;

  return (
    <div className="risk-weakest">
      <section className="panel">
        <h1>{m('weakest.title')}</h1>
        <p className="hint">{m('weakest.intro')}</p>
        <p data-testid="risk-expected">{m('weakest.expected', { value: interval(report.expected_harm) })}</p>
        <DataTable
          rows={ranking.slice(0, SHOWN)}
          rowKey={(link) => link.code}
          className="member-table risk-table"
          testId="risk-ranking"
          ariaLabel={m('weakest.title')}
          rowProps={(link) => ({
            'data-testid': 'risk-row',
            'data-code': link.code,
            'aria-selected': link.code === source,
            onClick: () => setSelected(link.code),
          })}
          columns={[
            { id: 'rank', header: m('weakest.col.rank'), value: (link) => link.rank },
            {
              id: 'name',
              header: m('weakest.col.name'),
              value: (link) => link.name,
              cell: (link) => (
                <>
                  <a href={memberHref(link.code)}>{link.name}</a>
                  <span className="risk-kind">{kindLabel(link.kind)}</span>
                </>
              ),
            },
            { id: 'score', header: m('weakest.col.score'), numeric: true, value: (l) => l.score.mean, cell: (l) => interval(l.score) },
            {
              id: 'likelihood',
              header: m('weakest.col.likelihood'),
              numeric: true,
              value: (l) => l.likelihood,
              cell: (l) => percent(l.likelihood),
            },
            { id: 'harm', header: m('weakest.col.harm'), numeric: true, value: (l) => l.harm.mean, cell: (l) => interval(l.harm) },
            {
              id: 'reached',
              header: m('weakest.col.reached'),
              numeric: true,
              value: (l) => l.members.mean,
              cell: (l) => interval(l.members, 1),
            },
            { id: 'reason', header: m('weakest.col.reason'), className: 'risk-reason', cell: reason },
          ]}
        />
        <h2>{m('weakest.cuts')}</h2>
        <div className="risk-cuts" data-testid="risk-cuts">
          {(
            [
              ['weakest.cutsNodes', report.cut_nodes],
              ['weakest.cutsEdges', report.cut_edges],
            ] as const
          ).map(([title, cuts]) => (
            <div key={title}>
              <h3>{m(title)}</h3>
              <ol>
                {cuts.slice(0, 5).map((cut) => (
                  <li key={cut.label}>
                    {cut.from && cut.to && cut.relation ? `${cut.from} → ${cut.to} (${relationLabel(cut.relation)})` : cut.label}:{' '}
                    {m('weakest.cutShare', { value: number(cut.harm_reduction), share: number(100 * cut.share, 1) })}
                  </li>
                ))}
              </ol>
            </div>
          ))}
        </div>
      </section>

      <div className="risk-visuals">
        <section className="panel risk-map-panel">
          <h2>{m('map.title')}</h2>
          <p className="hint">{m('map.hint')}</p>
          <label className="risk-map-source">
            {m('map.source')}{' '}
            <select value={source ?? ''} onChange={(e) => setSelected(e.target.value)}>
              <option value="threat">{m('map.threat')}</option>
              {ranking.slice(0, 40).map((link) => (
                <option key={link.code} value={link.code}>
                  {link.name}
                </option>
              ))}
            </select>
          </label>
          <p className="risk-map-caption">{sourceName}</p>
          <RiskMap hit={hitByCode} />
        </section>
        <section className="panel risk-graph-panel">
          <h2>{m('graph.title')}</h2>
          <p className="hint">{m('graph.hint')}</p>
          <AsyncView state={graph} retry={retryGraph}>
            {(data) => (
              <>
                {data.hidden_edges > 0 ? <p className="hint">{m('weakest.hidden', { n: data.hidden_edges })}</p> : null}
                <GraphView graph={data} score={scoreByCode} selected={source} onSelect={setSelected} />
              </>
            )}
          </AsyncView>
        </section>
      </div>
    </div>
  );
}
