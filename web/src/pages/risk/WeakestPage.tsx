import { useMemo, useState } from 'react';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { Loading } from '../../ui/Loading';
import { useI18n } from '../../i18n';
import { memberHref } from '../../nav';
import { useAsync } from '../../ui/useAsync';
import { useFormat, useRiskMessages } from './common';
import { GraphView } from './GraphView';
import { RiskMap } from './RiskMap';
import { getGraph, getSimulation, getWeakest, type WeakLink } from './riskApi';


const SHOWN = 15;

function useReason() {
  const m = useRiskMessages();
  const { relationLabel } = useI18n();
  const { number, percent } = useFormat();
  return (link: WeakLink) => {
    const parts = [
      `${m('weakest.reason.level', { level: number(link.security, 2) })}${
        link.securitySource === 'baseline' ? ` ${m('weakest.reason.baseline')}` : ''
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
    if (link.topEdges.length > 0) {
      parts.push(
        m('weakest.reason.through', {
          list: link.topEdges
            .map((e) => `${e.dependent} (${relationLabel(e.relation)}, ${percent(e.share, 0)})`)
            .join(', '),
        }),
      );
    }
    return parts.join(' · ');
  };
}

export function WeakestPage() {
  const m = useRiskMessages();
  const { kindLabel } = useI18n();
  const { number, interval, percent } = useFormat();
  const reason = useReason();
  const [weakest, retry] = useAsync((signal) => getWeakest(0, {}, signal), []);
  const [graph, retryGraph] = useAsync((signal) => getGraph(signal), []);
  const [selected, setSelected] = useState<string | null>(null);

  const ranking = weakest.status === 'ok' ? weakest.data.ranking : [];
  const source = selected ?? ranking[0]?.code ?? null;
  const [spread] = useAsync(
    (signal) =>
      source === null
        ? Promise.resolve(null)
        : getSimulation(source === 'threat' ? 'threat' : source, 5000, 1000, {}, signal),
    [source],
  );
  const hitByCode = useMemo(() => {
    if (spread.status !== 'ok' || spread.data === null) return null;
    return new Map(spread.data.mostHit.map((entry) => [entry.code, entry]));
  }, [spread]);
  const scoreByCode = useMemo(() => new Map(ranking.map((link) => [link.code, link.score.mean])), [ranking]);

  if (weakest.status === 'loading') return <Loading />;
  if (weakest.status === 'error') return <ErrorMessage error={weakest.error} onRetry={retry} />;
  const report = weakest.data;
  const sourceName = source === 'threat' ? m('map.threat') : ranking.find((l) => l.code === source)?.name ?? source;

  return (
    <div className="risk-weakest">
      <section className="panel">
        <h1>{m('weakest.title')}</h1>
        <p className="hint">{m('weakest.intro')}</p>
        <p data-testid="risk-expected">{m('weakest.expected', { value: interval(report.expectedHarm) })}</p>
        <div className="table-wrap">
          <table className="member-table risk-table" data-testid="risk-ranking">
            <thead>
              <tr>
                <th scope="col">{m('weakest.col.rank')}</th>
                <th scope="col">{m('weakest.col.name')}</th>
                <th scope="col" className="num">
                  {m('weakest.col.score')}
                </th>
                <th scope="col" className="num">
                  {m('weakest.col.likelihood')}
                </th>
                <th scope="col" className="num">
                  {m('weakest.col.harm')}
                </th>
                <th scope="col" className="num">
                  {m('weakest.col.reached')}
                </th>
                <th scope="col">{m('weakest.col.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {ranking.slice(0, SHOWN).map((link, index) => (
                <tr
                  key={link.code}
                  data-testid="risk-row"
                  data-code={link.code}
                  aria-selected={link.code === source}
                  onClick={() => setSelected(link.code)}
                >
                  <td>{index + 1}</td>
                  <td>
                    <a href={memberHref(link.code)}>{link.name}</a>
                    <span className="risk-kind">{kindLabel(link.kind)}</span>
                  </td>
                  <td className="num">{interval(link.score)}</td>
                  <td className="num">{percent(link.likelihood)}</td>
                  <td className="num">{interval(link.harm)}</td>
                  <td className="num">{interval(link.members, 1)}</td>
                  <td className="risk-reason">{reason(link)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <h2>{m('weakest.cuts')}</h2>
        <div className="risk-cuts" data-testid="risk-cuts">
          {(
            [
              ['weakest.cutsNodes', report.cutNodes],
              ['weakest.cutsEdges', report.cutEdges],
            ] as const
          ).map(([title, cuts]) => (
            <div key={title}>
              <h3>{m(title)}</h3>
              <ol>
                {cuts.slice(0, 5).map((cut) => (
                  <li key={cut.label}>
                    {cut.label}:{' '}
                    {m('weakest.cutShare', { value: number(cut.harmReduction), share: number(100 * cut.share, 1) })}
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
          {graph.status === 'loading' ? <Loading /> : null}
          {graph.status === 'error' ? <ErrorMessage error={graph.error} onRetry={retryGraph} /> : null}
          {graph.status === 'ok' ? (
            <>
              {graph.data.hiddenEdges > 0 ? <p className="hint">{m('weakest.hidden', { n: graph.data.hiddenEdges })}</p> : null}
              <GraphView graph={graph.data} score={scoreByCode} selected={source} onSelect={setSelected} />
            </>
          ) : null}
        </section>
      </div>
    </div>
  );
}
