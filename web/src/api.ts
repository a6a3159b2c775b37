import type { components, paths } from './generated/api';
import { currentToken } from './session';

/**
 * Typed client for the hub's REST API (same origin as the dashboard).
 * Every failure is raised as an ApiError so the UI can tell the user
 * what went wrong: no connection, an HTTP error, or an unreadable body.
 */

/** The hub's schemas, generated from its OpenAPI document (npm run gen; src/generated/). */
export type Schemas = components['schemas'];

/**
 * A schema with every property present. The module fragments
 * (src/hub/modules/<name>/<name>.openapi.json) mostly list no `required` fields although
 * the hub always writes them; this states that assumption in one place
 * instead of a hand-written copy of each schema. Nullable stays nullable.
 */
export type Complete<T> = T extends readonly (infer U)[]
  ? Complete<U>[]
  : T extends object
    ? { [K in keyof T]-?: Complete<T[K]> }
    : T;

type Method = 'get' | 'post' | 'put' | 'delete';
type JsonBody<R> = R extends { content: { 'application/json': infer Body } } ? Body : never;
type JsonOk<Op> = Op extends { responses: infer R }
  ? R extends { 200: infer Ok }
    ? JsonBody<Ok>
    : R extends { 201: infer Created }
      ? JsonBody<Created>
      : never
  : never;

/** The JSON body of a path's successful answer (200, or 201 for a creation) to method `M`. */
export type ResponseOf<P extends keyof paths, M extends Method = 'get'> = paths[P] extends { [K in M]: infer Op } ? JsonOk<Op> : never;

/** The JSON body of a path's successful GET. */
export type GetResponse<P extends keyof paths> = ResponseOf<P, 'get'>;

/** The JSON request body of a path's method `M`. */
export type RequestOf<P extends keyof paths, M extends Method> = paths[P] extends { [K in M]: infer Op }
  ? Op extends { requestBody: infer B }
    ? JsonBody<B>
    : never
  : never;

/**
 * T with the properties the document leaves loose (a bare "object") replaced
 * by what the hub sends. Each use names the fields and says why.
 */
export type Refine<T, Sent> = Omit<T, keyof Sent> & Sent;

export type OrgKind = Schemas['OrgKind'];

export const ORG_KINDS = [
  'municipality',
  'region',
  'state_body',
  'shared_system',
  'supplier',
  'health',
  'utility',
  'other',
] as const satisfies readonly OrgKind[];

export function isOrgKind(value: string): value is OrgKind {
  return (ORG_KINDS as readonly string[]).includes(value);
}

export type Organisation = Schemas['Organisation'];
export type OrganisationPage = Schemas['OrganisationPage'];
export type Health = Schemas['Health'];

/**
 * One relation of an organisation (/api/v1/organisations/{code}): the
 * document's "Edge", as parseEdge reads it (tolerating a missing name, kind
 * or strength from an older hub). The risk fragment's graph edge, which used
 * to replace this schema in the merged document, is now "GraphEdge".
 */
export interface Edge {
  code: string;
  name: string;
  kind: string;
  relation: string;
  strength: number | null;
  illustrative: boolean;
  note: string | null;
}

export type OrganisationDetail = Omit<Schemas['OrganisationDetail'], 'dependencies' | 'dependents'> & {
  /** null when the hub withholds the dependency graph (not signed in). */
  dependencies: Edge[] | null;
  dependents: Edge[] | null;
};

export type ApiErrorKind = 'network' | 'http' | 'not_found' | 'invalid';

/**
 * The hub's own name for a failure (`{"error":{"kind":…}}`): ErrorKindName in
 * src/core/result.cpp (invalid_argument, parse_error, not_found, conflict,
 * unauthorized, forbidden, unsupported, io_error, unavailable, internal), the
 * API's rate_limited, and http_<status> for a refusal before any route ran.
 * Kept as a string: a newer hub may send a kind this dashboard does not know.
 */
export type HubErrorKind = string;

export class ApiError extends Error {
  readonly kind: ApiErrorKind;
  readonly status: number | null;
  /** The hub's message, in English: a detail, never the sentence shown. */
  readonly serverMessage: string | null;
  /** The hub's kind of failure, when it sent one. */
  readonly hubKind: HubErrorKind | null;

  constructor(
    kind: ApiErrorKind,
    message: string,
    status: number | null = null,
    serverMessage: string | null = null,
    hubKind: HubErrorKind | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
    this.kind = kind;
    this.status = status;
    this.serverMessage = serverMessage;
    this.hubKind = hubKind;
  }
}

/** The ApiError for a failed answer, with the hub's kind and message when its body has them. */
export function httpError(status: number, body: Json | undefined): ApiError {
  let serverMessage: string | null = null;
  let hubKind: string | null = null;
  if (body !== undefined && isObject(body) && isObject(body['error'])) {
    serverMessage = optStr(body['error'], 'message');
    hubKind = optStr(body['error'], 'kind');
  }
  return new ApiError(status === 404 ? 'not_found' : 'http', `HTTP ${status}`, status, serverMessage, hubKind);
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

/**
 * A body the hub documents as `T`: checked to be an object with the fields
 * the dashboard cannot do without, then trusted (the hub's own tests validate
 * every response against the document).
 */
export function shaped<T>(what: string, check: (body: JsonObject) => boolean = () => true): (body: Json) => T {
  return (body: Json): T => {
    if (!isObject(body) || !check(body)) throw invalid(what);
    return body as unknown as T;
  };
}

const parsePage = shaped<OrganisationPage>('organisation page', (b) => Array.isArray(b['items']));
const parseHealth = shaped<Health>('health', (b) => typeof b['status'] === 'string');

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

function parseDetail(value: Json): OrganisationDetail {
  if (!isObject(value) || typeof value['code'] !== 'string') throw invalid('organisation is not an object');
  const edges = (key: string) => {
    const list = value[key];
    if (list === null || list === undefined) return null;
    if (!Array.isArray(list)) throw invalid('edge list is not an array');
    return list.map(parseEdge);
  };
  return { ...(value as unknown as Schemas['OrganisationDetail']), dependencies: edges('dependencies'), dependents: edges('dependents') };
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

/** The signed-in member's token as a header (none when signed out). */
function authHeaders(): Record<string, string> {
  const token = currentToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/** Fetches a file the hub makes with the member's token; a failure is raised as an ApiError. */
async function fetchDocument(url: string): Promise<Blob> {
  let response: Response;
  try {
    response = await fetch(url, { headers: authHeaders() });
  } catch (err) {
    throw new ApiError('network', err instanceof Error ? err.message : 'network error');
  }
  if (!response.ok) {
    let body: Json | undefined;
    try {
      body = (await response.json()) as Json;
    } catch {
      // Not JSON: the status says enough.
    }
    throw httpError(response.status, body);
  }
  return response.blob();
}

/**
 * Fetches a document the hub renders (a report: HTML or PDF) with the
 * member's token and opens it in a new tab; a failure is raised as an ApiError.
 */
export async function openDocument(url: string): Promise<void> {
  window.open(URL.createObjectURL(await fetchDocument(url)), '_blank', 'noopener');
}

/**
 * Fetches a file the hub makes (an iCalendar export) with the member's token
 * and saves it under `filename`; a failure is raised as an ApiError.
 */
export async function downloadDocument(url: string, filename: string): Promise<void> {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await fetchDocument(url));
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(link.href), 1000);
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
  const headers: Record<string, string> = { Accept: 'application/json', ...authHeaders() };
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
  if (response.status === 204) {
    // No content (a DELETE, some PUTs): `parse` receives null.
    body = null;
  } else {
    try {
      body = (await response.json()) as Json;
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err;
      bodyError = true;
    }
  }

  if (!response.ok) throw httpError(response.status, body);
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

export function listOrganisations(params: ListParams, signal?: AbortSignal): Promise<OrganisationPage> {
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
