import { currentToken } from './session';

/**
 * Typed client for the hub's REST API (same origin as the dashboard).
 * Every failure is raised as an ApiError so the UI can tell the user
 * what went wrong: no connection, an HTTP error, or an unreadable body.
 */

export const ORG_KINDS = [
  'municipality',
  'region',
  'state_body',
  'shared_system',
  'supplier',
  'health',
  'utility',
  'other',
] as const;

export type OrgKind = (typeof ORG_KINDS)[number];

export function isOrgKind(value: string): value is OrgKind {
  return (ORG_KINDS as readonly string[]).includes(value);
}

export interface Organisation {
  code: string;
  name: string;
  kind: string;
  region_code: string | null;
  region_name: string | null;
  population: number | null;
  description: string | null;
  stix_id: string | null;
}

export interface Edge {
  code: string;
  name: string;
  kind: string;
  relation: string;
  strength: number | null;
  illustrative: boolean;
  note: string | null;
}

export interface OrganisationDetail extends Organisation {
  /** null when the hub withholds the dependency graph (not signed in). */
  dependencies: Edge[] | null;
  dependents: Edge[] | null;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface Health {
  status: string;
  version: string;
}

export type ApiErrorKind = 'network' | 'http' | 'not_found' | 'invalid';

export class ApiError extends Error {
  readonly kind: ApiErrorKind;
  readonly status: number | null;
  readonly serverMessage: string | null;

  constructor(kind: ApiErrorKind, message: string, status: number | null = null, serverMessage: string | null = null) {
    super(message);
    this.name = 'ApiError';
    this.kind = kind;
    this.status = status;
    this.serverMessage = serverMessage;
  }
}

export const MAX_LIMIT = 1000;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function invalid(what: string): ApiError {
  return new ApiError('invalid', `invalid response: ${what}`);
}

export function str(obj: JsonObject, key: string): string {
  const value = obj[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw invalid(`field "${key}" missing`);
}

export function optStr(obj: JsonObject, key: string): string | null {
  const value = obj[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return null;
}

export function optNum(obj: JsonObject, key: string): number | null {
  const value = obj[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function parseOrganisation(value: Json | undefined): Organisation {
  if (!isObject(value)) throw invalid('organisation is not an object');
  return {
    code: str(value, 'code'),
    name: str(value, 'name'),
    kind: str(value, 'kind'),
    region_code: optStr(value, 'region_code'),
    region_name: optStr(value, 'region_name'),
    population: optNum(value, 'population'),
    description: optStr(value, 'description'),
    stix_id: optStr(value, 'stix_id'),
  };
}

function parseEdge(value: Json): Edge {
  if (!isObject(value)) throw invalid('edge is not an object');
  return {
    code: str(value, 'code'),
    name: optStr(value, 'name') ?? str(value, 'code'),
    kind: optStr(value, 'kind') ?? 'other',
    relation: str(value, 'relation'),
    strength: optNum(value, 'strength'),
    illustrative: value['illustrative'] === true,
    note: optStr(value, 'note'),
  };
}

function parseEdges(value: Json | undefined): Edge[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid('edge list is not an array');
  return value.map(parseEdge);
}

function parseDetail(value: Json): OrganisationDetail {
  if (!isObject(value)) throw invalid('organisation is not an object');
  const withheld = (key: string) => value[key] === null || value[key] === undefined;
  return {
    ...parseOrganisation(value),
    dependencies: withheld('dependencies') ? null : parseEdges(value['dependencies']),
    dependents: withheld('dependents') ? null : parseEdges(value['dependents']),
  };
}

function parsePage(value: Json): Page<Organisation> {
  if (!isObject(value)) throw invalid('page is not an object');
  const items = value['items'];
  if (!Array.isArray(items)) throw invalid('"items" is not an array');
  const parsed = items.map(parseOrganisation);
  return {
    items: parsed,
    total: optNum(value, 'total') ?? parsed.length,
    limit: optNum(value, 'limit') ?? parsed.length,
    offset: optNum(value, 'offset') ?? 0,
  };
}

function parseHealth(value: Json): Health {
  if (!isObject(value)) throw invalid('health is not an object');
  return { status: str(value, 'status'), version: optStr(value, 'version') ?? '?' };
}

/** Resolves an API path against the page, so the dashboard works wherever the hub mounts it. */
export function apiUrl(path: string, params?: Record<string, string | number | undefined>): string {
  const url = new URL(path, document.baseURI);
  if (params) {
    for (const [key, value] of Object.entries(params)) {
      if (value !== undefined && value !== '') url.searchParams.set(key, String(value));
    }
  }
  return url.toString();
}

async function getJson<T>(url: string, parse: (body: Json) => T, signal?: AbortSignal): Promise<T> {
  return requestJson('GET', url, parse, { signal });
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is (e.g. a CSV or XML import) with this content type. */
  rawBody?: { text: string; contentType: string };
}

/**
 * Any API call: adds the signed-in member's token, sends `body` as JSON, and
 * raises every failure as an ApiError (with the hub's message when it sent one).
 */
export async function requestJson<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  parse: (body: Json) => T,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = currentToken();
  if (token) headers['Authorization'] = `Bearer ${token}`;
  let payload: string | undefined;
  if (options.rawBody) {
    headers['Content-Type'] = options.rawBody.contentType;
    payload = options.rawBody.text;
  } else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(url, { method, signal: options.signal, headers, body: payload });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError('network', err instanceof Error ? err.message : 'network error');
  }

  let body: Json | undefined;
  let bodyError = false;
  try {
    body = (await response.json()) as Json;
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    bodyError = true;
  }

  if (!response.ok) {
    let serverMessage: string | null = null;
    if (body !== undefined && isObject(body) && isObject(body['error'])) {
      serverMessage = optStr(body['error'], 'message');
    }
    const kind: ApiErrorKind = response.status === 404 ? 'not_found' : 'http';
    throw new ApiError(kind, `HTTP ${response.status}`, response.status, serverMessage);
  }
  if (bodyError || body === undefined) throw invalid('body is not JSON');
  return parse(body);
}

export interface ListParams {
  kind?: string;
  region?: string;
  q?: string;
  limit?: number;
  offset?: number;
}

export function listOrganisations(params: ListParams, signal?: AbortSignal): Promise<Page<Organisation>> {
  const url = apiUrl('api/v1/organisations', {
    kind: params.kind,
    region: params.region,
    q: params.q,
    limit: params.limit,
    offset: params.offset,
  });
  return getJson(url, parsePage, signal);
}

/** Fetches every organisation matching the filters, following the hub's pagination. */
export async function listAllOrganisations(
  params: Omit<ListParams, 'limit' | 'offset'>,
  signal?: AbortSignal,
): Promise<Organisation[]> {
  const all: Organisation[] = [];
  let offset = 0;
  // The loop is bounded: the hub caps pages at MAX_LIMIT, 100 pages cover 100 000 members.
  for (let page = 0; page < 100; page += 1) {
    const result = await listOrganisations({ ...params, limit: MAX_LIMIT, offset }, signal);
    all.push(...result.items);
    offset += result.items.length;
    if (result.items.length === 0 || offset >= result.total) break;
  }
  return all;
}

/** Number of organisations of one kind, read from the page total. */
export async function countOrganisations(kind: OrgKind, signal?: AbortSignal): Promise<number> {
  const page = await listOrganisations({ kind, limit: 1 }, signal);
  return page.total;
}

export function getOrganisation(code: string, signal?: AbortSignal): Promise<OrganisationDetail> {
  const url = apiUrl(`api/v1/organisations/${encodeURIComponent(code)}`);
  return getJson(url, parseDetail, signal);
}

export function getHealth(signal?: AbortSignal): Promise<Health> {
  return getJson(apiUrl('healthz'), parseHealth, signal);
}
