/**
 * The hub's graph and risk API (src/hub/modules/risk/risk.openapi.json): the
 * generated types, with the wire's field names, checked for the shape the
 * pages rely on.
 */
import { apiUrl, requestJson, shaped, type Complete, type RequestOf, type Schemas } from '../../api';
import { currentToken } from '../../session';

export type Estimate = Complete<Schemas['RiskEstimate']>;
export type Tail = Complete<Schemas['RiskTail']>;
export type ThreatLevels = Schemas['ThreatLevels'];
export type ThreatLevel = NonNullable<ThreatLevels['crime']>;
export type Graph = Complete<Schemas['RiskGraph']>;
export type WeakLink = Complete<Schemas['WeakLink']>;
export type Weakest = Complete<Schemas['WeakestReport']>;
export type Simulation = Complete<Schemas['Simulation']>;
export type PlanReport = Complete<Schemas['PlanReport']>;
export type StrategyResult = PlanReport['strategies'][number];
export type Investment = StrategyResult['investments'][number];

const parseGraph = shaped<Graph>('graph', (b) => Array.isArray(b['nodes']) && Array.isArray(b['edges']));
const parseWeakest = shaped<Weakest>('weakest links', (b) => Array.isArray(b['ranking']));
const parseSimulation = shaped<Simulation>('simulation', (b) => Array.isArray(b['most_hit']));
const parsePlan = shaped<PlanReport>('plan', (b) => Array.isArray(b['strategies']));

/** The graph as last read, for the token that read it (half a megabyte for the demo federation). */
let lastGraph: { token: string | null; graph: Graph } | null = null;

export async function getGraph(signal?: AbortSignal): Promise<Graph> {
  const token = currentToken();
  const graph = await requestJson('GET', apiUrl('api/v1/graph'), parseGraph, { signal });
  if (graph.graph_version) lastGraph = { token, graph };
  return graph;
}

/** Whether this sign-in has read the graph before (a later view may then not need to). */
export function graphRead(): boolean {
  return lastGraph !== null && lastGraph.token === currentToken();
}

/**
 * The graph at `version` (the graph_version of an analysis): the one read
 * before when it is still that version for this sign-in, else read again.
 */
export function getGraphAt(version: string | undefined, signal?: AbortSignal): Promise<Graph> {
  if (version && graphRead() && lastGraph!.graph.graph_version === version) return Promise.resolve(lastGraph!.graph);
  return getGraph(signal);
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

export function postPlan(budget: number, threat: ThreatLevels): Promise<PlanReport> {
  const body: RequestOf<'/api/v1/risk/plan', 'post'> = { budget, threat };
  return requestJson('POST', apiUrl('api/v1/risk/plan'), parsePlan, { body });
}
