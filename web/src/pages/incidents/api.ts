/** The hub's incidents, guidance and competences API (/api/v1/incidents…), typed for the dashboard. */
import { apiUrl, currentTokenHeader, invalid, isObject, requestJson, type Json } from './apiSupport';

export interface LocalTime {
  utc: string;
  local: string;
  /** "29.03.2026 kl. 11:00 (CEST)" */
  display: string;
}

export interface OrgBrief {
  code: string;
  name: string;
  region_code: string | null;
  region_name: string | null;
}

export interface ContentItem {
  key: string;
  kind: 'text' | 'bool' | 'severity' | 'list';
  required: boolean;
  da: string;
  en: string;
}

export type DeadlineState = 'due' | 'overdue' | 'submitted' | 'waiting' | 'not_required';
export type Stage = 'early_warning' | 'notification' | 'progress' | 'final';

export interface Deadline {
  stage: Stage;
  name: { da: string; en: string };
  article: string;
  due: LocalTime | null;
  remaining_seconds: number | null;
  state: DeadlineState;
  overdue: boolean;
  submitted_at: LocalTime | null;
  late: boolean;
  rule: string;
  contents: ContentItem[];
}

export interface Version {
  version: number;
  at: string | LocalTime;
  by: string;
}

export interface Incident {
  id: string;
  org: OrgBrief;
  version: number;
  title: string;
  description: string;
  became_aware_at: string;
  became_aware_local: LocalTime;
  started_at: string | null;
  start_local: LocalTime;
  handled_at: string | null;
  affected_services: string[];
  citizens_affected: { count: number; estimate: boolean } | null;
  suspected_malicious: boolean;
  cross_member_impact: boolean;
  cross_border_impact: boolean;
  status: 'open' | 'handled' | 'closed';
  indicators: string[];
  sightings: string[];
  vulnerabilities: string[];
  new_indicators: { name: string; pattern: string }[];
  suspected_via: string[];
  share_tlp: string;
  clock: Deadline[];
  overdue: boolean;
  next_due: { stage: Stage; due: LocalTime; overdue: boolean } | null;
  versions?: Version[];
  reports?: Record<Stage, Version[]>;
  shares?: { tlp: string; report: string; objects: string[]; at: string; by: string }[];
}

export interface TimelineItem {
  id: string;
  org: OrgBrief;
  title: string;
  start: LocalTime;
  became_aware: LocalTime;
  next_due: Incident['next_due'];
  overdue: boolean;
}

export interface Timeline {
  scope: 'national' | 'own';
  items: TimelineItem[];
  members: (OrgBrief & { open_incidents: number })[];
}

export interface Campaign {
  id: string;
  members: OrgBrief[];
  incidents: { id: string; org: OrgBrief; title: string; start: LocalTime }[];
  causes: { kind: 'supplier' | 'indicator'; id: string; name: string; incidents: string[] }[];
  first: LocalTime;
  last: LocalTime;
}

export interface Guidance {
  id: string;
  title: string;
  body: string;
  severity: 'info' | 'warning' | 'critical';
  recipients?: string[];
  campaign: string | null;
  from: { code: string; name: string };
  posted: LocalTime;
}

export interface RoleProfile {
  id: string;
  ecsf: string;
  da: string;
  en: string;
  description_da: string;
  description_en: string;
}

export interface Holder {
  initials?: string;
  name?: string;
  kind: 'staff' | 'contracted' | 'shared';
  provider?: string;
}

export interface Training {
  title: string;
  kind: 'management' | 'role' | 'awareness';
  date: string;
  participants: string[];
}

export interface Register {
  org: { code: string; name: string; population: number | null };
  version: number;
  roles: { role: string; holders: Holder[] }[];
  trainings: Training[];
  gaps: {
    band: 'small' | 'medium' | 'large';
    target: string[];
    roles: { role: string; required: boolean; coverage: 'covered' | 'partly' | 'missing'; single_person: boolean }[];
    gaps: string[];
    single_person: string[];
    management_training_current: boolean;
    last_management_training: string | null;
    score: number;
  };
  baseline_evidence: Record<string, Json>;
  profiles: RoleProfile[];
}

export interface NationalCompetences {
  scope: 'national' | 'aggregate';
  registers: number;
  management_training_current: number;
  roles: { role: string; covered: number; partly: number; missing: number; single_person: number }[];
  suggestions: { region: OrgBrief; role: string; count: number; members?: OrgBrief[]; includes_you?: boolean }[];
  single_person?: { org: OrgBrief; role: string }[];
  members?: { org: OrgBrief; band: string; score: number; gaps: string[]; single_person: string[] }[];
  profiles: RoleProfile[];
}

// The hub validates what it sends; the dashboard checks the shape it relies on.
function shaped<T>(what: string, check: (body: Record<string, Json>) => boolean) {
  return (body: Json): T => {
    if (!isObject(body) || !check(body)) throw invalid(what);
    return body as unknown as T;
  };
}

const isIncident = (b: Record<string, Json>) => typeof b['id'] === 'string' && Array.isArray(b['clock']);

export function listIncidents(signal?: AbortSignal): Promise<{ items: Incident[] }> {
  return requestJson('GET', apiUrl('api/v1/incidents'), shaped('incident list', (b) => Array.isArray(b['items'])), {
    signal,
  });
}

export function getIncident(id: string, signal?: AbortSignal): Promise<Incident> {
  return requestJson('GET', apiUrl(`api/v1/incidents/${encodeURIComponent(id)}`), shaped('incident', isIncident), {
    signal,
  });
}

export function createIncident(body: Record<string, unknown>): Promise<Incident> {
  return requestJson('POST', apiUrl('api/v1/incidents'), shaped('incident', isIncident), { body });
}

export function updateIncident(id: string, body: Record<string, unknown>): Promise<Incident> {
  return requestJson('PUT', apiUrl(`api/v1/incidents/${encodeURIComponent(id)}`), shaped('incident', isIncident), {
    body,
  });
}

export function submitReport(id: string, stage: Stage, contents: Record<string, unknown>): Promise<{ version: number }> {
  return requestJson(
    'POST',
    apiUrl(`api/v1/incidents/${encodeURIComponent(id)}/reports/${stage}`),
    shaped('report', (b) => typeof b['version'] === 'number'),
    { body: { contents } },
  );
}

/** The report as the hub renders it (HTML), fetched with the member's token. */
export async function reportHtml(id: string, stage: Stage, version: number): Promise<string> {
  const response = await fetch(
    apiUrl(`api/v1/incidents/${encodeURIComponent(id)}/reports/${stage}`, { format: 'html', version }),
    { headers: currentTokenHeader() },
  );
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.text();
}

export function shareIncident(id: string, tlp: string): Promise<{ tlp: string; objects: string[]; report: string }> {
  return requestJson(
    'POST',
    apiUrl(`api/v1/incidents/${encodeURIComponent(id)}/share`),
    shaped('share', (b) => Array.isArray(b['objects'])),
    { body: { tlp } },
  );
}

export function getTimeline(signal?: AbortSignal): Promise<Timeline> {
  return requestJson('GET', apiUrl('api/v1/incidents/timeline'), shaped('timeline', (b) => Array.isArray(b['items'])), {
    signal,
  });
}

export function listCampaigns(signal?: AbortSignal): Promise<{ items: Campaign[]; rule: string }> {
  return requestJson('GET', apiUrl('api/v1/campaigns'), shaped('campaigns', (b) => Array.isArray(b['items'])), {
    signal,
  });
}

export function listGuidance(signal?: AbortSignal): Promise<{ items: Guidance[] }> {
  return requestJson('GET', apiUrl('api/v1/guidance'), shaped('guidance', (b) => Array.isArray(b['items'])), {
    signal,
  });
}

export function postGuidance(body: Record<string, unknown>): Promise<Guidance> {
  return requestJson('POST', apiUrl('api/v1/guidance'), shaped('guidance', (b) => typeof b['id'] === 'string'), {
    body,
  });
}

export function getRegister(code: string, signal?: AbortSignal): Promise<Register> {
  return requestJson(
    'GET',
    apiUrl(`api/v1/competences/${encodeURIComponent(code)}`),
    shaped('register', (b) => Array.isArray(b['roles']) && isObject(b['gaps'])),
    { signal },
  );
}

export function putRegister(code: string, body: Record<string, unknown>): Promise<Register> {
  return requestJson(
    'PUT',
    apiUrl(`api/v1/competences/${encodeURIComponent(code)}`),
    shaped('register', (b) => Array.isArray(b['roles'])),
    { body },
  );
}

export function getNationalCompetences(signal?: AbortSignal): Promise<NationalCompetences> {
  return requestJson('GET', apiUrl('api/v1/competences'), shaped('competences', (b) => Array.isArray(b['roles'])), {
    signal,
  });
}

/** The field a hub error names ("request body: field 'title': is required" → "title"). */
export function fieldOf(message: string | null): string | null {
  const match = message ? /field '([^']+)'/.exec(message) : null;
  return match?.[1] ?? null;
}

/**
 * The UTC instant at which Copenhagen's clocks show `wall` ("2026-03-29T02:30",
 * as a datetime-local input gives it), whatever the browser's own time zone.
 */
export function copenhagenToUtc(wall: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(wall);
  if (!match) return null;
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  const asUtc = Date.UTC(y, mo - 1, d, h, mi);
  let guess = asUtc - offsetMinutes(asUtc) * 60_000;
  guess = asUtc - offsetMinutes(guess) * 60_000;
  return new Date(guess).toISOString();
}

/** Copenhagen's offset from UTC, in minutes, at an instant. */
function offsetMinutes(instant: number): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Copenhagen',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return Math.round((wall - Math.floor(instant / 60_000) * 60_000) / 60_000);
}

/** Copenhagen's wall time now, as a datetime-local value. */
export function copenhagenNow(): string {
  const now = Date.now();
  return new Date(now + offsetMinutes(now) * 60_000).toISOString().slice(0, 16);
}
