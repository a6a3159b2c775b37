import { useMemo } from 'react';
import { useI18n } from '../../i18n';
import { KIND_COLOURS, useRiskMessages } from './common';
import type { Graph } from './riskApi';

const WIDTH = 640;
const HEIGHT = 460;
const ITERATIONS = 300;

interface Placed {
  code: string;
  name: string;
  kind: string;
  x: number;
  y: number;
  r: number;
}

/**
 * A force-directed layout (Fruchterman–Reingold with a cooling schedule),
 * deterministic: nodes start on a circle in code order, so the same graph
 * always gets the same picture. O(iterations × n²) — fine for the few
 * hundred non-municipal nodes it is meant for.
 */
export function layout(
  nodes: { code: string }[],
  edges: { from: string; to: string }[],
  width: number,
  height: number,
): Map<string, { x: number; y: number }> {
  const n = nodes.length;
  const index = new Map(nodes.map((node, i) => [node.code, i]));
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  nodes.forEach((_, i) => {
    const angle = (2 * Math.PI * i) / Math.max(1, n);
    x[i] = width / 2 + (width / 3) * Math.cos(angle);
    y[i] = height / 2 + (height / 3) * Math.sin(angle);
  });
  const links: [number, number][] = [];
  for (const edge of edges) {
    const a = index.get(edge.from);
    const b = index.get(edge.to);
    if (a !== undefined && b !== undefined && a !== b) links.push([a, b]);
  }
  const k = Math.sqrt((width * height) / Math.max(1, n)) * 0.8;
  const dx = new Float64Array(n);
  const dy = new Float64Array(n);
  let temperature = width / 8;
  for (let iteration = 0; iteration < ITERATIONS; iteration += 1) {
    dx.fill(0);
    dy.fill(0);
    for (let i = 0; i < n; i += 1) {
      for (let j = i + 1; j < n; j += 1) {
        const ddx = x[i]! - x[j]!;
        const ddy = y[i]! - y[j]!;
        const dist2 = Math.max(0.01, ddx * ddx + ddy * ddy);
        const force = (k * k) / dist2;
        dx[i]! += ddx * force;
        dy[i]! += ddy * force;
        dx[j]! -= ddx * force;
        dy[j]! -= ddy * force;
      }
    }
    for (const [a, b] of links) {
      const ddx = x[a]! - x[b]!;
      const ddy = y[a]! - y[b]!;
      const dist = Math.max(0.1, Math.sqrt(ddx * ddx + ddy * ddy));
      const force = dist / k;
      dx[a]! -= ddx * force;
      dy[a]! -= ddy * force;
      dx[b]! += ddx * force;
      dy[b]! += ddy * force;
    }
    for (let i = 0; i < n; i += 1) {
      // A weak pull to the centre keeps unconnected nodes on the canvas.
      dx[i]! += (width / 2 - x[i]!) * 0.05;
      dy[i]! += (height / 2 - y[i]!) * 0.05;
      const length = Math.max(0.01, Math.sqrt(dx[i]! * dx[i]! + dy[i]! * dy[i]!));
      const step = Math.min(length, temperature);
      x[i] = Math.min(width - 16, Math.max(16, x[i]! + (dx[i]! / length) * step));
      y[i] = Math.min(height - 16, Math.max(16, y[i]! + (dy[i]! / length) * step));
    }
    temperature *= 0.985;
  }
  return new Map(nodes.map((node, i) => [node.code, { x: x[i]!, y: y[i]! }]));
}

export function GraphView({
  graph,
  score,
  selected,
  onSelect,
}: {
  graph: Graph;
  score: ReadonlyMap<string, number>;
  selected: string | null;
  onSelect: (code: string) => void;
}) {
  const m = useRiskMessages();
  const { kindLabel } = useI18n();
  const { placed, links } = useMemo(() => {
    const nodes = graph.nodes.filter((node) => node.kind !== 'municipality');
    const codes = new Set(nodes.map((node) => node.code));
    const edges = graph.edges.filter((edge) => codes.has(edge.from) && codes.has(edge.to));
    const positions = layout(nodes, edges, WIDTH, HEIGHT);
    const maxScore = Math.max(1, ...nodes.map((node) => score.get(node.code) ?? 0));
    const placedNodes: Placed[] = nodes.map((node) => ({
      code: node.code,
      name: node.name,
      kind: node.kind,
      ...positions.get(node.code)!,
      r: 4 + 14 * Math.sqrt((score.get(node.code) ?? 0) / maxScore),
    }));
    return { placed: placedNodes, links: edges };
  }, [graph, score]);
  const at = new Map(placed.map((node) => [node.code, node]));
  const kinds = [...new Set(placed.map((node) => node.kind))].sort();

  return (
    <div className="risk-graph">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={m('graph.label')} data-testid="risk-graph">
        <defs>
          <marker id="risk-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="5" markerHeight="5" orient="auto">
            <path d="M0,0 L10,5 L0,10 z" fill="#8a96a3" />
          </marker>
        </defs>
        {links.map((edge) => {
          // Drawn in the direction of the spread: from what is depended on to the dependent.
          const a = at.get(edge.to)!;
          const b = at.get(edge.from)!;
          const active = selected === edge.to || selected === edge.from;
          return (
            <line
              key={`${edge.from}>${edge.to}>${edge.relation}`}
              x1={a.x}
              y1={a.y}
              x2={b.x}
              y2={b.y}
              className={active ? 'risk-link risk-link--active' : 'risk-link'}
              strokeWidth={0.5 + 2 * edge.probability}
              markerEnd="url(#risk-arrow)"
            />
          );
        })}
        {placed.map((node) => (
          <g
            key={node.code}
            className={node.code === selected ? 'risk-node risk-node--selected' : 'risk-node'}
            transform={`translate(${node.x},${node.y})`}
            onClick={() => onSelect(node.code)}
          >
            <circle r={node.r} fill={KIND_COLOURS[node.kind] ?? KIND_COLOURS['other']} />
            <title>{`${node.name} (${kindLabel(node.kind)})`}</title>
            {node.r > 9 || node.code === selected ? (
              <text y={-node.r - 3} textAnchor="middle">
                {node.code}
              </text>
            ) : null}
          </g>
        ))}
      </svg>
      <ul className="risk-legend">
        {kinds.map((kind) => (
          <li key={kind}>
            <span className="swatch" style={{ background: KIND_COLOURS[kind] ?? KIND_COLOURS['other'] }} />
            {kindLabel(kind)}
          </li>
        ))}
      </ul>
    </div>
  );
}
