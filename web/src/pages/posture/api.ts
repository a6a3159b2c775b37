/** The hub's posture API (/api/v1/posture/…, docs/posture.md), typed from the OpenAPI document. */
import { apiUrl, requestJson, shaped, type Schemas } from '../../api';

export type PostureMember = Schemas['PostureMember'];
export type DomainScan = Schemas['PostureDomainScan'];
export type Check = Schemas['PostureCheck'];
export type CheckName = Check['check'];
export type CheckStatus = Check['status'];
export type History = Schemas['PostureHistory'];
export type Regressions = Schemas['PostureRegressions'];
export type National = Schemas['PostureNational'];

export const CHECKS = [
  'dnssec',
  'mail_tls',
  'dane',
  'spf',
  'dkim',
  'dmarc',
  'mta_sts',
  'tls_rpt',
  'web_tls',
  'https_redirect',
  'hsts',
  'security_txt',
] as const satisfies readonly CheckName[];

function memberUrl(code: string, rest = '', params?: Record<string, string | undefined>): string {
  return apiUrl(`api/v1/posture/members/${encodeURIComponent(code)}${rest}`, params);
}

export function getMember(code: string, signal?: AbortSignal): Promise<PostureMember> {
  return requestJson('GET', memberUrl(code), shaped<PostureMember>('posture', (b) => Array.isArray(b['domains'])), {
    signal,
  });
}

export function getHistory(code: string, domain: string, signal?: AbortSignal): Promise<History> {
  return requestJson(
    'GET',
    memberUrl(code, '/history', { domain }),
    shaped<History>('posture history', (b) => Array.isArray(b['history'])),
    { signal },
  );
}

export function getRegressions(code: string, signal?: AbortSignal): Promise<Regressions> {
  return requestJson(
    'GET',
    memberUrl(code, '/regressions'),
    shaped<Regressions>('posture regressions', (b) => Array.isArray(b['regressions'])),
    { signal },
  );
}

export function requestScan(code: string): Promise<Schemas['PostureScanQueued']> {
  return requestJson(
    'POST',
    memberUrl(code, '/scan'),
    shaped<Schemas['PostureScanQueued']>('posture scan', (b) => b['queued'] === true),
    { body: {} },
  );
}

export function getNational(signal?: AbortSignal): Promise<National> {
  return requestJson(
    'GET',
    apiUrl('api/v1/posture/national'),
    shaped<National>('posture national', (b) => Array.isArray(b['checks'])),
    { signal },
  );
}
