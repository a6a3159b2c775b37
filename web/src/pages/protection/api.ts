/** The hub's protection feed API (/api/v1/protection/…), typed for the dashboard from the OpenAPI document. */
import {
  apiUrl,
  requestJson,
  shaped,
  type Complete,
  type GetResponse,
  type Json,
  type Refine,
  type RequestOf,
  type ResponseOf,
  type Schemas,
} from '../../api';

export type Profile = Complete<Schemas['ProtectionProfile']>;
export type ProfileView = Complete<Schemas['ProtectionProfileView']>;
export type FeedReport = Complete<Schemas['ProtectionFeedReport']>;
export type LeftOutEntry = FeedReport['left_out_entries'][number];
export type ValueKind = Profile['kinds'][number];
export type BlockAction = Profile['action'];

export const VALUE_KINDS = ['domain', 'ipv4', 'ipv6', 'prefix', 'url'] as const satisfies readonly ValueKind[];
export const ACTIONS = ['nxdomain', 'nodata', 'drop', 'walled-garden'] as const satisfies readonly BlockAction[];

/** One owner name of the zone (the document describes `owners` only as an object). */
export interface MappingOwner {
  zone: 'enforce' | 'monitor';
  indicators: string[];
  objects: string[];
  producers: string[];
  approvals: string[];
  carved_from?: string;
}
export type Mapping = Refine<
  Complete<GetResponse<'/api/v1/protection/members/{code}/rpz/mapping'>>,
  // not yet in the OpenAPI document: the owners' fields (docs/protect.md, "Owner mapping")
  { owners: Record<string, MappingOwner> }
>;

function memberPath(code: string, rest: string): string {
  return apiUrl(`api/v1/protection/members/${encodeURIComponent(code)}/${rest}`);
}

export function getProfile(code: string, signal?: AbortSignal): Promise<ProfileView> {
  return requestJson(
    'GET',
    memberPath(code, 'profile'),
    shaped<ProfileView>('protection profile', (b) => typeof b['profile'] === 'object'),
    { signal },
  );
}

export function putProfile(code: string, profile: Partial<Profile>): Promise<ProfileView> {
  return requestJson(
    'PUT',
    memberPath(code, 'profile'),
    shaped<ProfileView>('protection profile', (b) => typeof b['profile'] === 'object'),
    { body: profile },
  );
}

export function getFeedReport(code: string, signal?: AbortSignal): Promise<FeedReport> {
  const parse = shaped<FeedReport>('feed report', (b) => typeof b['enforced'] === 'number');
  return requestJson('GET', memberPath(code, 'feed'), (body) => {
    const report = parse(body);
    return {
      ...report,
      left_out_entries: Array.isArray(report.left_out_entries) ? report.left_out_entries : [],
      left_out_entries_truncated: report.left_out_entries_truncated === true,
      monitored_by_reason: report.monitored_by_reason ?? {},
      left_out_by_reason: report.left_out_by_reason ?? {},
    };
  }, { signal });
}

export function getMapping(code: string, signal?: AbortSignal): Promise<Mapping> {
  return requestJson(
    'GET',
    memberPath(code, 'rpz/mapping'),
    shaped<Mapping>('owner mapping', (b) => typeof b['owners'] === 'object' && b['owners'] !== null),
    { signal },
  );
}

/** One entry of the feed, read back from the zone's owner names (URLs are not in the zone). */
export interface FeedEntry {
  value: string;
  kind: 'domain' | 'network';
  part: 'enforce' | 'monitor';
  indicators: string[];
  producers: string[];
  approvals: string[];
  carvedFrom: string | null;
}

/**
 * An address or prefix from a response-IP owner name ("32.66.113.0.203.rpz-ip":
 * the prefix length, then the address's octets or IPv6 words reversed, "zz"
 * for the longest run of zero words); null for anything else.
 */
export function networkFromOwner(owner: string): string | null {
  const labels = owner.split('.');
  if (labels.length < 3 || labels.at(-1) !== 'rpz-ip') return null;
  const prefix = Number(labels[0]);
  const parts = labels.slice(1, -1).reverse();
  if (!Number.isInteger(prefix)) return null;
  if (parts.length === 4 && parts.every((part) => /^\d{1,3}$/.test(part))) {
    const address = parts.join('.');
    return prefix === 32 ? address : `${address}/${prefix}`;
  }
  if (parts.every((part) => /^([0-9a-f]{1,4}|zz)$/i.test(part))) {
    const address = parts.join(':').replace('zz', '').replace(/:{3,}/, '::');
    const text = address.startsWith(':') && !address.startsWith('::') ? `:${address}` : address;
    const fixed = text.endsWith(':') && !text.endsWith('::') ? `${text}:` : text;
    return prefix === 128 ? fixed : `${fixed}/${prefix}`;
  }
  return null;
}

/** The feed's domain and network entries, from the owner mapping (one entry per domain, not its "*." twin). */
export function entriesFromMapping(mapping: Mapping): FeedEntry[] {
  const entries: FeedEntry[] = [];
  for (const [owner, info] of Object.entries(mapping.owners)) {
    if (owner.startsWith('*.')) continue;
    const network = networkFromOwner(owner);
    entries.push({
      value: network ?? owner,
      kind: network ? 'network' : 'domain',
      part: info.zone,
      indicators: info.indicators ?? [],
      producers: info.producers ?? [],
      approvals: info.approvals ?? [],
      carvedFrom: info.carved_from ?? null,
    });
  }
  return entries;
}

export type FeedToken = Complete<Schemas['ProtectionFeedToken']>;
export type CreatedFeedToken = Complete<ResponseOf<'/api/v1/protection/members/{code}/tokens', 'post'>>;
export type History = Complete<Schemas['ProtectionFeedHistory']>;
export type HistorySerial = History['history'][number];
export type HistoryChange = HistorySerial['added'][number];
export type Freeze = Complete<Schemas['ProtectionFreeze']>;
export type NeverBlock = Complete<Schemas['ProtectionNeverBlock']>;
export type National = Schemas['ProtectionNational'];
export type NationalMember = National['members'][number];
export type MemberState = NationalMember['state'];
export type Pinned = Complete<Schemas['ProtectionPinned']>;

const ignore = (_body: Json) => undefined;

export function listTokens(code: string, signal?: AbortSignal): Promise<FeedToken[]> {
  const parse = shaped<Complete<Schemas['ProtectionFeedTokenList']>>('feed tokens', (b) => Array.isArray(b['tokens']));
  return requestJson('GET', memberPath(code, 'tokens'), (body) => parse(body).tokens, { signal });
}

export function createToken(code: string, label: string): Promise<CreatedFeedToken> {
  const body: RequestOf<'/api/v1/protection/members/{code}/tokens', 'post'> = { label };
  return requestJson(
    'POST',
    memberPath(code, 'tokens'),
    shaped<CreatedFeedToken>('feed token', (b) => typeof b['token'] === 'string'),
    { body },
  );
}

export function revokeToken(code: string, id: string): Promise<void> {
  return requestJson('DELETE', memberPath(code, `tokens/${encodeURIComponent(id)}`), ignore);
}

export function getHistory(code: string, limit: number, signal?: AbortSignal): Promise<History> {
  return requestJson(
    'GET',
    apiUrl(`api/v1/protection/members/${encodeURIComponent(code)}/history`, { limit }),
    shaped<History>('feed history', (b) => Array.isArray(b['history'])),
    { signal },
  );
}

export function pinSerial(code: string, serial: number, reason: string): Promise<Pinned> {
  const body: Schemas['ProtectionPin'] = { serial, reason };
  return requestJson('PUT', memberPath(code, 'pin'), shaped<Pinned>('pin', (b) => typeof b['serial'] === 'number'), { body });
}

export function unpin(code: string): Promise<void> {
  return requestJson('DELETE', memberPath(code, 'pin'), ignore);
}

const parseFreeze = shaped<Freeze>('freeze', (b) => typeof b['frozen'] === 'boolean');

export function getFreeze(signal?: AbortSignal): Promise<Freeze> {
  return requestJson('GET', apiUrl('api/v1/protection/freeze'), parseFreeze, { signal });
}

export function putFreeze(frozen: boolean, reason: string): Promise<Freeze> {
  const body: Schemas['ProtectionFreezeRequest'] = { frozen, reason };
  return requestJson('PUT', apiUrl('api/v1/protection/freeze'), parseFreeze, { body });
}

const parseNeverBlock = shaped<NeverBlock>(
  'never-block list',
  (b) => Array.isArray(b['domains']) && Array.isArray(b['networks']) && typeof b['builtin'] === 'object',
);

export function getNeverBlock(signal?: AbortSignal): Promise<NeverBlock> {
  return requestJson('GET', apiUrl('api/v1/protection/never-block'), parseNeverBlock, { signal });
}

export function putNeverBlock(domains: string[], networks: string[]): Promise<NeverBlock> {
  const body: Schemas['ProtectionValues'] = { domains, networks };
  return requestJson('PUT', apiUrl('api/v1/protection/never-block'), parseNeverBlock, { body });
}

export function getNational(signal?: AbortSignal): Promise<National> {
  return requestJson(
    'GET',
    apiUrl('api/v1/protection/national'),
    shaped<National>('national protection view', (b) => Array.isArray(b['members']) && typeof b['totals'] === 'object'),
    { signal },
  );
}
