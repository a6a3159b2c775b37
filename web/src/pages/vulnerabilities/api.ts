/** The hub's vulnerability exposure API (/api/v1/exposure…, /api/v1/assets…), typed for the dashboard. */
import { apiUrl, requestJson, shaped, type Complete, type GetResponse, type Schemas } from '../../api';

export type Finding = Complete<Schemas['VulnFinding']>;
export type FindingStatus = Finding['status'];
/** Not generated: the document gives VulnExposureList's items as bare objects. */
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
  /** The affected assets' vendors and products, as their CPE or package URL names them. */
  products: { vendor: string; product: string }[];
}

type ListSchema = Schemas['VulnExposureList'];
/** `empty_reason` and `inventory` come only with an empty list: why it is empty. */
export type ExposureList = Omit<Complete<ListSchema>, 'items' | 'empty_reason' | 'inventory'> & {
  items: ExposureItem[];
  empty_reason?: ListSchema['empty_reason'];
  inventory?: Complete<NonNullable<ListSchema['inventory']>>;
};
export type EmptyReason = NonNullable<ListSchema['empty_reason']>;

/** The document's VulnCveExposure lacks the CVE's own facts; they are written here. */
export type CveExposure = Omit<Complete<Schemas['VulnCveExposure']>, 'empty_reason' | 'inventory'> & {
  empty_reason?: Schemas['VulnCveExposure']['empty_reason'];
  description?: string;
  published?: string;
  cvss?: number | null;
  severity?: string;
  references?: string[];
  kev?: { date_added: string; due_date: string; required_action: string; ransomware: boolean; name: string } | null;
  epss?: { score: number; percentile: number } | null;
};
export type MemberExposure = Complete<Schemas['VulnMemberExposure']>;
export type Inventory = Complete<Schemas['VulnInventory']>;
export type AssetRow = Inventory['assets'][number];
export type FeedSources = Complete<GetResponse<'/api/v1/vulnerabilities/feeds'>>;

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
