/** The hub's register API (/api/v1/register/…, docs/register.md), typed from the OpenAPI document. */
import { apiUrl, requestJson, shaped, type ApiError, type RequestOf, type Schemas } from '../../api';

export type Registration = Schemas['RegisterMember'];
export type RegisteredDomain = Schemas['RegisterDomain'];
export type ProofStatus = RegisteredDomain['status'];
export type Conflict = Schemas['RegisterConflict'];
export type ClaimKind = Conflict['kind'];
export type Lists = RequestOf<'/api/v1/register/members/{code}', 'put'>;
export type DomainChallenge = Schemas['RegisterDomainChallenge'];
export type VerifyOutcome = Schemas['RegisterVerifyOutcome'];
export type Conflicts = Schemas['RegisterConflicts'];
export type Resolution = Schemas['RegisterResolution'];
export type Nested = Schemas['RegisterNested'];
export type Coverage = Schemas['RegisterCoverage'];
export type Route = Schemas['RegisterRoute'];
export type RouteEntry = Schemas['RegisterEntry'];

export const PROOF_STATUSES = ['unproven', 'pending', 'proven', 'approved'] as const satisfies readonly ProofStatus[];
export const CLAIM_KINDS = ['prefix', 'domain', 'asn'] as const satisfies readonly ClaimKind[];

/** The label under which a domain's TXT proof is published (reg::kChallengeLabel). */
export const CHALLENGE_LABEL = '_dannevirke-challenge';

function memberUrl(code: string, rest = ''): string {
  return apiUrl(`api/v1/register/members/${encodeURIComponent(code)}${rest}`);
}

function domainUrl(code: string, domain: string, action: 'challenge' | 'verify' | 'approve'): string {
  return memberUrl(code, `/domains/${encodeURIComponent(domain)}/${action}`);
}

const parseRegistration = shaped<Registration>(
  'registration',
  (b) => typeof b['organisation'] === 'string' && Array.isArray(b['domains']) && Array.isArray(b['conflicts']),
);

export function getRegistration(code: string, signal?: AbortSignal): Promise<Registration> {
  return requestJson('GET', memberUrl(code), parseRegistration, { signal });
}

/** Replaces the registration with these lists (a PUT replaces, it does not add). */
export function putRegistration(code: string, lists: Lists): Promise<Registration> {
  return requestJson('PUT', memberUrl(code), parseRegistration, { body: lists });
}

/** Replaces the registration with a `type,value` CSV, sent as text/csv as the hub reads it. */
export function putRegistrationCsv(code: string, csv: string): Promise<Registration> {
  return requestJson('PUT', memberUrl(code), parseRegistration, { rawBody: { text: csv, contentType: 'text/csv' } });
}

export function challengeDomain(code: string, domain: string): Promise<DomainChallenge> {
  return requestJson(
    'POST',
    domainUrl(code, domain, 'challenge'),
    shaped<DomainChallenge>('challenge', (b) => typeof b['challenge'] === 'object' && b['challenge'] !== null),
  );
}

export function verifyDomain(code: string, domain: string): Promise<VerifyOutcome> {
  return requestJson(
    'POST',
    domainUrl(code, domain, 'verify'),
    shaped<VerifyOutcome>('verification', (b) => typeof b['proven'] === 'boolean' && typeof b['domain'] === 'object'),
  );
}

export function approveDomain(code: string, domain: string, reason: string): Promise<RegisteredDomain> {
  const body: Schemas['RegisterReason'] = { reason };
  return requestJson(
    'POST',
    domainUrl(code, domain, 'approve'),
    shaped<RegisteredDomain>('domain', (b) => typeof b['status'] === 'string'),
    { body },
  );
}

export function getConflicts(signal?: AbortSignal): Promise<Conflicts> {
  return requestJson(
    'GET',
    apiUrl('api/v1/register/conflicts'),
    shaped<Conflicts>('conflicts', (b) => Array.isArray(b['open']) && Array.isArray(b['resolved']) && Array.isArray(b['nested'])),
    { signal },
  );
}

export function resolveConflict(request: Schemas['RegisterResolveRequest']): Promise<Resolution> {
  return requestJson(
    'POST',
    apiUrl('api/v1/register/conflicts/resolve'),
    shaped<Resolution>('resolution', (b) => typeof b['owner'] === 'string'),
    { body: request },
  );
}

export function approveNested(request: Schemas['RegisterNestingRequest']): Promise<Schemas['RegisterNestingApproval']> {
  return requestJson(
    'POST',
    apiUrl('api/v1/register/nested/approve'),
    shaped<Schemas['RegisterNestingApproval']>('nesting approval', (b) => typeof b['prefix'] === 'string'),
    { body: request },
  );
}

export function getCoverage(signal?: AbortSignal): Promise<Coverage> {
  return requestJson(
    'GET',
    apiUrl('api/v1/register/coverage'),
    shaped<Coverage>('coverage', (b) => typeof b['organisations'] === 'number'),
    { signal },
  );
}

export interface RouteQuery {
  address?: string;
  domain?: string;
  asn?: string;
}

export function lookUpRoute(query: RouteQuery): Promise<Route> {
  return requestJson(
    'GET',
    apiUrl('api/v1/register/route', { address: query.address, domain: query.domain, asn: query.asn }),
    shaped<Route>('route', (b) => 'match' in b && Array.isArray(b['chain'])),
  );
}

/** Where a refusal of a registration points: a list and an index ("domains[1]: …"), or a CSV line ("line 7: …"). */
export interface RefusedPlace {
  list: 'domains' | 'prefixes' | 'asns' | 'urls' | null;
  /** 0-based index into the list. */
  index: number | null;
  /** 1-based CSV line. */
  line: number | null;
  /** The hub's message after the place. */
  detail: string;
}

export function refusedPlace(error: ApiError): RefusedPlace {
  const message = error.serverMessage ?? '';
  const listed = /^(domains|prefixes|asns|urls)(?:\[(\d+)\])?: (.*)$/s.exec(message);
  if (listed) {
    return {
      list: listed[1] as RefusedPlace['list'],
      index: listed[2] !== undefined ? Number(listed[2]) : null,
      line: null,
      detail: listed[3] ?? '',
    };
  }
  const csv = /^line (\d+): (?:value: )?(.*)$/s.exec(message);
  if (csv) return { list: null, index: null, line: Number(csv[1]), detail: csv[2] ?? '' };
  return { list: null, index: null, line: null, detail: message };
}

/**
 * What kind of refusal the hub's message describes, for a sentence in the
 * page's language; 'other' when it is none of these (the hub's words are shown).
 */
export type RefusalKind =
  | 'public_suffix'
  | 'not_public'
  | 'too_wide'
  | 'not_global_v6'
  | 'host_bits'
  | 'asn_reserved'
  | 'asn_invalid'
  | 'not_url'
  | 'not_domain'
  | 'not_prefix'
  | 'csv_header'
  | 'csv_type'
  | 'csv_empty'
  | 'other';

export function refusalKind(detail: string): RefusalKind {
  if (/public suffix/.test(detail)) return 'public_suffix';
  if (/not public address space/.test(detail)) return 'not_public';
  if (/is wider than \//.test(detail)) return 'too_wide';
  if (/not global unicast/.test(detail)) return 'not_global_v6';
  if (/host bits set/.test(detail)) return 'host_bits';
  if (/private or reserved|AS_TRANS|AS number is 1 to/.test(detail)) return 'asn_reserved';
  if (/is not an AS number/.test(detail)) return 'asn_invalid';
  if (/header must name/.test(detail)) return 'csv_header';
  if (/type must be domain, prefix, asn or url/.test(detail)) return 'csv_type';
  if (/^CSV: empty/.test(detail)) return 'csv_empty';
  if (/URL|scheme|http/i.test(detail)) return 'not_url';
  if (/domain|label|host name/i.test(detail)) return 'not_domain';
  if (/address|prefix|network/i.test(detail)) return 'not_prefix';
  return 'other';
}

/** Why a verification failed, from the hub's reason (src/register/register_store.cpp, txt_resolver.cpp). */
export type VerifyFailure = 'wrong_token' | 'no_record' | 'timeout' | 'dns_error' | 'other';

export function verifyFailure(reason: string | undefined): VerifyFailure {
  const text = reason ?? '';
  if (/holds the token issued to/.test(text)) return 'wrong_token';
  if (/^no TXT record at/.test(text)) return 'no_record';
  if (/^DNS:.*no answer within/.test(text)) return 'timeout';
  if (/^DNS:/.test(text)) return 'dns_error';
  return 'other';
}
