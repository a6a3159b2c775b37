/** The hub's duty API (/api/v1/duty/…, docs/duty.md "In the hub"), typed from the OpenAPI document. */
import { apiUrl, downloadDocument, requestJson, shaped, type Schemas } from '../../api';

export type DutyConfig = Schemas['DutyConfigAnswer'];
export type OnDuty = Schemas['DutyOnDuty'];
export type OnDutyRota = OnDuty['rotas'][number];
export type KevClock = Schemas['DutyKevClock'];
export type KevFigures = Schemas['DutyKevFigures'];
export type KevFinding = NonNullable<KevFigures['findings_detail']>[number];
export type Severity = Schemas['DutyNotification']['event']['severity'];

export type DutyNotification = Schemas['DutyNotification'];
export type EventKind = DutyNotification['event']['kind'];
/** The escalation engine's state of a routed notification (docs/duty.md "The escalation engine"). */
export type EscalationState = NonNullable<DutyNotification['state']>;
export type Phase = EscalationState['phase'];
/** One person reached by one step; `via` is the target that reached them ("rota:<id>", "contact:<id>", …). */
export type Notified = EscalationState['notified'][number];
/** One delivery tried on one channel; `error` says why it failed, in the hub's (English) words. */
export type Delivery = NonNullable<DutyNotification['deliveries']>[number];
export type Channel = Delivery['channel'];

// The document's enums, as lists for checks at run time.
export const EVENT_KINDS = [
  'sighting',
  'kev_exposure',
  'outside_report',
  'posture_regression',
  'nis2_deadline',
  'kev_overdue',
  'exercise',
] as const satisfies readonly EventKind[];
export const PHASES = ['active', 'acknowledged', 'unacknowledged'] as const satisfies readonly Phase[];
export const CHANNELS = ['email', 'webhook', 'sms', 'none'] as const satisfies readonly Channel[];

export interface DutyNotifications {
  organisation: string;
  notifications: DutyNotification[];
}

export function isEventKind(value: string): value is EventKind {
  return (EVENT_KINDS as readonly string[]).includes(value);
}

export function isChannel(value: string): value is Channel {
  return (CHANNELS as readonly string[]).includes(value);
}

function memberUrl(code: string, rest: string, params?: Record<string, string | undefined>): string {
  return apiUrl(`api/v1/duty/members/${encodeURIComponent(code)}${rest}`, params);
}

export function getConfig(code: string, signal?: AbortSignal): Promise<DutyConfig> {
  return requestJson(
    'GET',
    memberUrl(code, '/config'),
    shaped<DutyConfig>('duty config', (b) => typeof b['version'] === 'number'),
    { signal },
  );
}

export function getOnDuty(code: string, signal?: AbortSignal): Promise<OnDuty> {
  return requestJson('GET', memberUrl(code, '/on-duty'), shaped<OnDuty>('on duty', (b) => Array.isArray(b['rotas'])), {
    signal,
  });
}

export function listNotifications(code: string, signal?: AbortSignal): Promise<DutyNotifications> {
  return requestJson(
    'GET',
    memberUrl(code, '/notifications'),
    shaped<DutyNotifications>('duty notifications', (b) => Array.isArray(b['notifications'])),
    { signal },
  );
}

/** Acknowledges a notification: its escalation stops. 409 when it was already acknowledged. */
export function acknowledge(id: string): Promise<DutyNotification> {
  return requestJson(
    'POST',
    apiUrl(`api/v1/duty/notifications/${encodeURIComponent(id)}/ack`),
    shaped<DutyNotification>('duty notification', (b) => typeof b['id'] === 'string'),
  );
}

export function getKevClock(signal?: AbortSignal): Promise<KevClock> {
  return requestJson(
    'GET',
    apiUrl('api/v1/duty/kev-clock'),
    shaped<KevClock>('KEV clock', (b) => typeof b['members'] === 'object' && b['members'] !== null),
    { signal },
  );
}

/** The rota's shifts of the next 28 days as an iCalendar file (the hub's default range). */
export function icalUrl(code: string, rota: string): string {
  return memberUrl(code, `/rotas/${encodeURIComponent(rota)}/ical`);
}

export function dutyHref(code?: string): string {
  return code ? `#/duty/${encodeURIComponent(code)}` : '#/duty';
}

/** Saves the rota's shifts of the next 28 days as <code>-<rota>.ics. */
export function downloadIcal(code: string, rota: string): Promise<void> {
  return downloadDocument(icalUrl(code, rota), `${code}-${rota}.ics`);
}

export type CalendarLink = Schemas['DutyCalendarLink'];
export type CalendarLinkCreated = Schemas['DutyCalendarLinkCreated'];

/** The member's calendar subscription links (never their tokens). */
export function listCalendarLinks(code: string, signal?: AbortSignal): Promise<CalendarLink[]> {
  return requestJson(
    'GET',
    memberUrl(code, '/calendar-links'),
    (body) => shaped<Schemas['DutyCalendarLinks']>('calendar links', (b) => Array.isArray(b['links']))(body).links,
    { signal },
  );
}

/** A new subscription link for `rota`: its URL is in the answer only. */
export function createCalendarLink(code: string, rota: string): Promise<CalendarLinkCreated> {
  return requestJson(
    'POST',
    memberUrl(code, `/rotas/${encodeURIComponent(rota)}/calendar-link`),
    shaped<CalendarLinkCreated>('calendar link', (b) => typeof b['url'] === 'string'),
  );
}

export function revokeCalendarLink(code: string, id: string): Promise<null> {
  return requestJson('DELETE', memberUrl(code, `/calendar-links/${encodeURIComponent(id)}`), () => null);
}
