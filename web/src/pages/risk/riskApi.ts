/**
 * The hub's graph and risk API (src/hub/openapi/risk.json), typed and checked.
 */
import {
  apiUrl,
  invalid,
  isObject,
  optNum,
  optStr,
  requestJson,
  str,
  type Json,
  type JsonObject,
} from '../../api';

export interface Estimate {
  mean: number;
  low: number;
  high: number;
}

export interface Tail {
  var95: number;
  cvar95: number;
  var99: number;
  cvar99: number;
}

export interface GraphNode {
  code: string;
  name: string;
  kind: string;
  regionCode: string | null;
  security: number;
  securitySource: string;
  exposure: number;
  population: number;
  populationDerived: boolean;
  critical: boolean;
  initialProbability: number;
}

export interface GraphEdge {
  from: string;
  to: string;
  relation: string;
  strength: number;
  probability: number;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  scope: string;
  hiddenEdges: number;
}

export interface EdgeShare {
  dependent: string;
  relation: string;
  probability: number;
  share: number;
}

export interface WeakLink {
  code: string;
  name: string;
  kind: string;
  likelihood: number;
  score: Estimate;
  harm: Estimate;
  members: Estimate;
  security: number;
  securitySource: string;
  gaps: Record<string, number>;
  exposure: number;
  dependents: number;
  topEdges: EdgeShare[];
  reason: string;
}

export interface CutPoint {
  label: string;
  harmReduction: number;
  share: number;
}

export interface Weakest {
  nodes: number;
  edges: number;
  samples: number;
  expectedHarm: Estimate;
  ranking: WeakLink[];
  cutNodes: CutPoint[];
  cutEdges: CutPoint[];
}

export interface Simulation {
  scenario: string;
  runs: number;
  seed: number;
  membersHit: Estimate;
  populationAffected: Estimate;
  criticalHit: Estimate;
  membersTail: Tail;
  populationTail: Tail;
  mostHit: { code: string; name: string; kind: string; probability: number }[];
}

export interface Investment {
  code: string;
  name: string;
  kind: string;
  fromLevel: number;
  toLevel: number;
  costKr: number;
}

export interface StrategyResult {
  strategy: string;
  spentKr: number;
  simulatedHarm: Estimate;
  changePercent: number;
  investments: Investment[];
  curve: { budgetKr: number; harm: number }[];
}

export interface PlanReport {
  budgetKr: number;
  harmBefore: Estimate;
  estimatedHarmBefore: number;
  strategies: StrategyResult[];
}

export type ThreatLevels = Partial<Record<'crime' | 'espionage' | 'activism' | 'destructive', string>>;

function num(obj: JsonObject, key: string): number {
  const value = optNum(obj, key);
  if (value === null) throw invalid(`field "${key}" is not a number`);
  return value;
}

function obj(value: Json | undefined, what: string): JsonObject {
  if (!isObject(value)) throw invalid(`${what} is not an object`);
  return value;
}

function arr(value: Json | undefined, what: string): Json[] {
  if (!Array.isArray(value)) throw invalid(`${what} is not an array`);
  return value;
}

function estimate(value: Json | undefined): Estimate {
  const o = obj(value, 'estimate');
  return { mean: num(o, 'mean'), low: num(o, 'low'), high: num(o, 'high') };
}

function tail(value: Json | undefined): Tail {
  const o = obj(value, 'tail');
  return { var95: num(o, 'var95'), cvar95: num(o, 'cvar95'), var99: num(o, 'var99'), cvar99: num(o, 'cvar99') };
}

function parseGraph(body: Json): Graph {
  const o = obj(body, 'graph');
  return {
    nodes: arr(o['nodes'], 'nodes').map((value) => {
      const n = obj(value, 'node');
      return {
        code: str(n, 'code'),
        name: optStr(n, 'name') ?? str(n, 'code'),
        kind: optStr(n, 'kind') ?? 'other',
        regionCode: optStr(n, 'region_code'),
        security: optNum(n, 'security') ?? 0,
        securitySource: optStr(n, 'security_source') ?? 'default',
        exposure: optNum(n, 'exposure') ?? 1,
        population: optNum(n, 'population') ?? 0,
        populationDerived: n['population_derived'] === true,
        critical: n['critical'] === true,
        initialProbability: optNum(n, 'initial_probability') ?? 0,
      };
    }),
    edges: arr(o['edges'], 'edges').map((value) => {
      const e = obj(value, 'edge');
      return {
        from: str(e, 'from'),
        to: str(e, 'to'),
        relation: str(e, 'relation'),
        strength: num(e, 'strength'),
        probability: optNum(e, 'probability') ?? 0,
      };
    }),
    scope: optStr(o, 'scope') ?? 'all',
    hiddenEdges: optNum(o, 'hidden_edges') ?? 0,
  };
}

function cut(value: Json): CutPoint {
  const c = obj(value, 'cut point');
  return { label: str(c, 'label'), harmReduction: num(c, 'harm_reduction'), share: num(c, 'share') };
}

function parseWeakest(body: Json): Weakest {
  const o = obj(body, 'report');
  return {
    nodes: num(o, 'nodes'),
    edges: num(o, 'edges'),
    samples: num(o, 'samples'),
    expectedHarm: estimate(o['expected_harm']),
    ranking: arr(o['ranking'], 'ranking').map((value) => {
      const r = obj(value, 'entry');
      const gaps: Record<string, number> = {};
      const rawGaps = r['gaps'];
      if (isObject(rawGaps)) {
        for (const [key, level] of Object.entries(rawGaps)) if (typeof level === 'number') gaps[key] = level;
      }
      return {
        code: str(r, 'code'),
        name: str(r, 'name'),
        kind: str(r, 'kind'),
        likelihood: num(r, 'likelihood'),
        score: estimate(r['score']),
        harm: estimate(r['harm']),
        members: estimate(r['members']),
        security: num(r, 'security'),
        securitySource: optStr(r, 'security_source') ?? 'default',
        gaps,
        exposure: num(r, 'exposure'),
        dependents: num(r, 'dependents'),
        topEdges: arr(r['top_edges'] ?? [], 'top_edges').map((edge) => {
          const e = obj(edge, 'edge');
          return {
            dependent: str(e, 'dependent'),
            relation: str(e, 'relation'),
            probability: num(e, 'probability'),
            share: num(e, 'share'),
          };
        }),
        reason: optStr(r, 'reason') ?? '',
      };
    }),
    cutNodes: arr(o['cut_nodes'] ?? [], 'cut_nodes').map(cut),
    cutEdges: arr(o['cut_edges'] ?? [], 'cut_edges').map(cut),
  };
}

function parseSimulation(body: Json): Simulation {
  const o = obj(body, 'simulation');
  return {
    scenario: str(o, 'scenario'),
    runs: num(o, 'runs'),
    seed: num(o, 'seed'),
    membersHit: estimate(o['members_hit']),
    populationAffected: estimate(o['population_affected']),
    criticalHit: estimate(o['critical_hit']),
    membersTail: tail(o['members_tail']),
    populationTail: tail(o['population_tail']),
    mostHit: arr(o['most_hit'], 'most_hit').map((value) => {
      const m = obj(value, 'entry');
      return {
        code: str(m, 'code'),
        name: str(m, 'name'),
        kind: optStr(m, 'kind') ?? 'other',
        probability: num(m, 'probability'),
      };
    }),
  };
}

function parsePlan(body: Json): PlanReport {
  const o = obj(body, 'plan');
  return {
    budgetKr: num(o, 'budget_kr'),
    harmBefore: estimate(o['simulated_harm_before']),
    estimatedHarmBefore: num(o, 'estimated_harm_before'),
    strategies: arr(o['strategies'], 'strategies').map((value) => {
      const s = obj(value, 'strategy');
      return {
        strategy: str(s, 'strategy'),
        spentKr: num(s, 'spent_kr'),
        simulatedHarm: estimate(s['simulated_harm']),
        changePercent: num(s, 'change_percent'),
        investments: arr(s['investments'], 'investments').map((inv) => {
          const i = obj(inv, 'investment');
          return {
            code: str(i, 'code'),
            name: str(i, 'name'),
            kind: optStr(i, 'kind') ?? 'other',
            fromLevel: num(i, 'from_level'),
            toLevel: num(i, 'to_level'),
            costKr: num(i, 'cost_kr'),
          };
        }),
        curve: arr(s['curve'], 'curve').map((point) => {
          const p = obj(point, 'point');
          return { budgetKr: num(p, 'budget_kr'), harm: num(p, 'estimated_harm') };
        }),
      };
    }),
  };
}

export function getGraph(signal?: AbortSignal): Promise<Graph> {
  return requestJson('GET', apiUrl('api/v1/graph'), parseGraph, { signal });
}

export function getWeakest(top: number, threat: ThreatLevels, signal?: AbortSignal): Promise<Weakest> {
  return requestJson('GET', apiUrl('api/v1/risk/weakest', { top, ...threat }), parseWeakest, { signal });
}

export function getSimulation(
  source: string,
  runs: number,
  top: number,
  threat: ThreatLevels,
  signal?: AbortSignal,
): Promise<Simulation> {
  return requestJson('GET', apiUrl('api/v1/risk/simulate', { source, runs, top, ...threat }), parseSimulation, {
    signal,
  });
}

export function postPlan(budget: number, threat: ThreatLevels, signal?: AbortSignal): Promise<PlanReport> {
  return requestJson('POST', apiUrl('api/v1/risk/plan'), parsePlan, { signal, body: { budget, threat } });
}
