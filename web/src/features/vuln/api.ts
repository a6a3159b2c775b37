/** The hub's vulnerability exposure API (/api/v1/exposure…, /api/v1/assets…), typed for the dashboard. */
import { apiUrl, invalid, isObject, requestJson, type Json } from '../../api';

export type FindingStatus = 'open' | 'needs_review' | 'not_applicable' | 'fixed';

export interface Finding {
  member: string;
  device: string;
  asset_id: string;
  asset_name: string;
  cve: string;
  status: FindingStatus;
  review_reason: string;
  criterion: string;
  matched: string;
  context: string;
  source: string;
  why: string;
  kev: boolean;
  ransomware: boolean;
  epss: number | null;
  cvss: number | null;
  severity: string;
  due: string;
  due_basis: string;
  decision_reason: string;
}

export interface ExposureItem {
  cve: string;
  description: string;
  kev: boolean;
  ransomware: boolean;
  epss: number | null;
  cvss: number | null;
  severity: string;
  due: string;
  open: number;
  needs_review: number;
  decided: number;
  members: { code: string; name: string; open: boolean }[];
  members_open: number;
}

export interface ExposureList {
  scope: string;
  items: ExposureItem[];
  /** CVEs with findings in scope; items holds the first `limit` by priority. */
  total?: number;
}

export interface CveExposure {
  cve: string;
  scope: string;
  description?: string;
  published?: string;
  cvss?: number | null;
  severity?: string;
  references?: string[];
  kev?: { date_added: string; due_date: string; required_action: string; ransomware: boolean; name: string } | null;
  epss?: { score: number; percentile: number } | null;
  members: { code: string; name: string; dependents: number; centrality: number; findings: Finding[] }[];
  needs_review: Finding[];
}

export interface MemberExposure {
  code: string;
  name: string;
  dependents: number;
  findings: Finding[];
  counts: Record<FindingStatus, number>;
  decisions: { cve: string; asset_id: string; status: string; reason: string; decided_by: string; decided_at: string }[];
  due_policy: string;
  notifications: { id: string; cve: string; why: string; assets: string[]; created: string; abstract: string }[];
}

export interface AssetRow {
  device: string;
  asset_id: string;
  name: string;
  cpe: string;
  purl: string;
  version: string;
  blind_spot: string | null;
}

export interface Inventory {
  code: string;
  name: string;
  version: number;
  updated_at: string | null;
  updated_by: string;
  assets: AssetRow[];
  blind_spots: { asset_id: string; name: string; reason: string }[];
}

export interface FeedSources {
  sources: { source: string; kind: string; origin: string; source_date: string; version: string; applied_at: string; records: number }[];
  vulnerabilities: number;
}

// The hub validates what it sends; the dashboard checks the shape it relies on.
function shaped<T>(what: string, check: (body: Record<string, Json>) => boolean) {
  return (body: Json): T => {
    if (!isObject(body) || !check(body)) throw invalid(what);
    return body as unknown as T;
  };
}

export function listExposure(q: string, signal?: AbortSignal): Promise<ExposureList> {
  return requestJson(
    'GET',
    apiUrl('api/v1/exposure', { q: q || undefined }),
    shaped<ExposureList>('exposure list', (b) => Array.isArray(b['items'])),
    { signal },
  );
}

export function getCveExposure(cve: string, signal?: AbortSignal): Promise<CveExposure> {
  return requestJson(
    'GET',
    apiUrl('api/v1/exposure', { cve }),
    shaped<CveExposure>('exposure', (b) => Array.isArray(b['members'])),
    { signal },
  );
}

export function getMemberExposure(code: string, signal?: AbortSignal): Promise<MemberExposure> {
  const parse = shaped<MemberExposure>('member exposure', (b) => Array.isArray(b['findings']));
  return requestJson(
    'GET',
    apiUrl(`api/v1/exposure/members/${encodeURIComponent(code)}`),
    (body) => {
      const parsed = parse(body);
      return { ...parsed, notifications: Array.isArray(parsed.notifications) ? parsed.notifications : [] };
    },
    { signal },
  );
}

export function getInventory(code: string, signal?: AbortSignal): Promise<Inventory> {
  return requestJson(
    'GET',
    apiUrl(`api/v1/assets/${encodeURIComponent(code)}`),
    shaped<Inventory>('inventory', (b) => Array.isArray(b['assets'])),
    { signal },
  );
}

export function getFeeds(signal?: AbortSignal): Promise<FeedSources> {
  return requestJson(
    'GET',
    apiUrl('api/v1/vulnerabilities/feeds'),
    shaped<FeedSources>('feeds', (b) => Array.isArray(b['sources'])),
    { signal },
  );
}

export function putDecision(
  code: string,
  decision: { cve: string; asset_id: string; status: 'not_applicable' | 'fixed' | 'open'; reason: string },
): Promise<unknown> {
  return requestJson('PUT', apiUrl(`api/v1/exposure/members/${encodeURIComponent(code)}/decisions`), (b) => b, {
    body: decision,
  });
}

export function importAssets(code: string, text: string, format: 'csv' | 'json'): Promise<Inventory> {
  return requestJson(
    'POST',
    apiUrl(`api/v1/assets/${encodeURIComponent(code)}/import`, { format }),
    shaped<Inventory>('inventory', (b) => Array.isArray(b['assets'])),
    { rawBody: { text, contentType: format === 'csv' ? 'text/csv' : 'application/json' } },
  );
}
