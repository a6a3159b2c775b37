/**
 * The hub's incidents, guidance and competences API
 * (src/hub/modules/incidents/incident.openapi.json): the generated types with
 * the wire's field names. Where the document describes a value only as
 * "object", `Refine` states what the hub sends, each marked
 * "not yet in the OpenAPI document".
 */
import {
  apiUrl,
  isObject,
  openDocument,
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

export type LocalTime = Complete<Schemas['LocalTime']>;
export type Stage = 'early_warning' | 'notification' | 'progress' | 'final';

// not yet in the OpenAPI document: an organisation as incidents, timelines and campaigns name it ("object").
export interface OrgBrief {
  code: string;
  name: string;
  region_code: string | null;
  region_name: string | null;
}

// not yet in the OpenAPI document: what a report must contain (Deadline.contents items are "object").
export interface ContentItem {
  key: string;
  kind: 'text' | 'bool' | 'severity' | 'list';
  required: boolean;
  da: string;
  en: string;
}

// not yet in the OpenAPI document: Deadline.stage is a plain string, Deadline.name an "object".
export type Deadline = Refine<
  Complete<Schemas['Deadline']>,
  { stage: Stage; name: { da: string; en: string }; contents: ContentItem[] }
>;

// not yet in the OpenAPI document: one version of an incident or report (Incident.versions/reports items are "object").
export interface Version {
  version: number;
  at: string | LocalTime;
  by: string;
}

export interface NextDue {
  stage: Stage;
  due: LocalTime;
  overdue: boolean;
}

export type Incident = Refine<
  Complete<Schemas['Incident']>,
  {
    org: OrgBrief;
    clock: Deadline[];
    // not yet in the OpenAPI document: next_due is "object".
    next_due: NextDue | null;
    // Only in the incident itself, not in the list; not yet in the OpenAPI document (items are "object").
    versions?: Version[];
    reports?: Partial<Record<Stage, Version[]>>;
    shares?: { tlp: string; report: string; objects: string[]; at: string; by: string }[];
  }
>;
export type IncidentInput = Schemas['IncidentInput'];
export type IncidentList = Refine<Complete<GetResponse<'/api/v1/incidents'>>, { items: Incident[] }>;

// not yet in the OpenAPI document: the timeline's items and members are "object".
export interface TimelineItem {
  id: string;
  org: OrgBrief;
  title: string;
  start: LocalTime;
  became_aware: LocalTime;
  next_due: NextDue | null;
  overdue: boolean;
}
export type Timeline = Refine<
  Complete<GetResponse<'/api/v1/incidents/timeline'>>,
  { items: TimelineItem[]; members: (OrgBrief & { open_incidents: number })[] }
>;

// not yet in the OpenAPI document: a campaign's members and incidents are "object".
export type Campaign = Refine<
  Complete<Schemas['Campaign']>,
  { members: OrgBrief[]; incidents: { id: string; org: OrgBrief; title: string; start: LocalTime }[] }
>;
export type CampaignList = Refine<Complete<GetResponse<'/api/v1/campaigns'>>, { items: Campaign[] }>;

export type Guidance = Refine<
  Complete<Schemas['Guidance']>,
  {
    // not yet in the OpenAPI document: the sender is "object".
    from: { code: string; name: string };
    /** Shown to coordinators; absent for a recipient. */
    recipients?: string[];
  }
>;
export type GuidanceInput = RequestOf<'/api/v1/guidance', 'post'>;

// not yet in the OpenAPI document: the ECSF role profiles sent with a register and the national picture.
export interface RoleProfile {
  id: string;
  ecsf: string;
  da: string;
  en: string;
  description_da: string;
  description_en: string;
}

type RegisterDoc = Complete<Schemas['CompetenceRegister']>;
/** A holder carries only the fields of its kind (initials for staff, provider for a service). */
export type Holder = NonNullable<NonNullable<Schemas['CompetenceRegister']['roles']>[number]['holders']>[number];
export type Training = RegisterDoc['trainings'][number];

export type Register = Refine<
  RegisterDoc,
  {
    roles: { role: string; holders: Holder[] }[];
    // not yet in the OpenAPI document: the register's organisation, gaps and profiles ("object" or absent).
    org: { code: string; name: string; population: number | null };
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
>;
export type RegisterInput = RequestOf<'/api/v1/competences/{code}', 'put'>;

// not yet in the OpenAPI document: GET /api/v1/competences is described as "object".
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

const hasItems = (b: Record<string, Json>) => Array.isArray(b['items']);
const parseIncident = shaped<Incident>('incident', (b) => typeof b['id'] === 'string' && Array.isArray(b['clock']));
const parseRegister = shaped<Register>('register', (b) => Array.isArray(b['roles']) && isObject(b['gaps']));

export function listIncidents(signal?: AbortSignal): Promise<IncidentList> {
  return requestJson('GET', apiUrl('api/v1/incidents'), shaped<IncidentList>('incident list', hasItems), { signal });
}

export function getIncident(id: string, signal?: AbortSignal): Promise<Incident> {
  return requestJson('GET', apiUrl(`api/v1/incidents/${encodeURIComponent(id)}`), parseIncident, { signal });
}

export function createIncident(body: IncidentInput): Promise<Incident> {
  return requestJson('POST', apiUrl('api/v1/incidents'), parseIncident, { body });
}

export function submitReport(
  id: string,
  stage: Stage,
  contents: Record<string, unknown>,
): Promise<ResponseOf<'/api/v1/incidents/{id}/reports/{stage}', 'post'>> {
  return requestJson(
    'POST',
    apiUrl(`api/v1/incidents/${encodeURIComponent(id)}/reports/${stage}`),
    shaped('report', (b) => typeof b['version'] === 'number'),
    { body: { contents } },
  );
}

/** Opens a submitted report as the hub renders it (HTML) in a new tab. */
export function openReport(id: string, stage: Stage, version: number): Promise<void> {
  return openDocument(apiUrl(`api/v1/incidents/${encodeURIComponent(id)}/reports/${stage}`, { format: 'html', version }));
}

export type ShareResult = Complete<ResponseOf<'/api/v1/incidents/{id}/share', 'post'>>;

export function shareIncident(id: string, tlp: string): Promise<ShareResult> {
  return requestJson(
    'POST',
    apiUrl(`api/v1/incidents/${encodeURIComponent(id)}/share`),
    shaped<ShareResult>('share', (b) => Array.isArray(b['objects'])),
    { body: { tlp } },
  );
}

export function getTimeline(signal?: AbortSignal): Promise<Timeline> {
  return requestJson('GET', apiUrl('api/v1/incidents/timeline'), shaped<Timeline>('timeline', hasItems), { signal });
}

export function listCampaigns(signal?: AbortSignal): Promise<CampaignList> {
  return requestJson('GET', apiUrl('api/v1/campaigns'), shaped<CampaignList>('campaigns', hasItems), { signal });
}

export function listGuidance(signal?: AbortSignal): Promise<{ items: Guidance[] }> {
  return requestJson('GET', apiUrl('api/v1/guidance'), shaped<{ items: Guidance[] }>('guidance', hasItems), { signal });
}

export function postGuidance(body: GuidanceInput): Promise<Guidance> {
  return requestJson('POST', apiUrl('api/v1/guidance'), shaped<Guidance>('guidance', (b) => typeof b['id'] === 'string'), {
    body,
  });
}

export function getRegister(code: string, signal?: AbortSignal): Promise<Register> {
  return requestJson('GET', apiUrl(`api/v1/competences/${encodeURIComponent(code)}`), parseRegister, { signal });
}

export function putRegister(code: string, body: RegisterInput): Promise<Register> {
  return requestJson(
    'PUT',
    apiUrl(`api/v1/competences/${encodeURIComponent(code)}`),
    shaped<Register>('register', (b) => Array.isArray(b['roles'])),
    { body },
  );
}

export function getNationalCompetences(signal?: AbortSignal): Promise<NationalCompetences> {
  return requestJson(
    'GET',
    apiUrl('api/v1/competences'),
    shaped<NationalCompetences>('competences', (b) => Array.isArray(b['roles'])),
    { signal },
  );
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
