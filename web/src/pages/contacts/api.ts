/** The hub's contacts API (/api/v1/contacts/…, docs/contacts.md), typed from the OpenAPI document. */
import { apiUrl, requestJson, shaped, type ApiError, type Schemas } from '../../api';

export type MemberContacts = Schemas['MemberContacts'];
export type Contact = Schemas['Contact'];
export type ContactInput = Schemas['ContactInput'];
export type ContactKind = Contact['kind'];
export type ContactLanguage = Contact['language'];
export type Hours = Schemas['ContactHours'];
export type HoursWindow = Schemas['ContactWindow'];
export type Day = HoursWindow['days'][number];
export type Erasure = Schemas['ContactErasure'];
export type ErasureReason = Erasure['reason'];
export type ErasureResult = Schemas['ContactErasureResult'];

export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const satisfies readonly Day[];
export const LANGUAGES = ['da', 'en'] as const satisfies readonly ContactLanguage[];
export const ERASURE_REASONS = [
  'data_subject_request',
  'no_longer_needed',
  'unlawfully_registered',
  'other',
] as const satisfies readonly ErasureReason[];

/** A case number the hub accepts as an erasure's reference. */
export const REFERENCE_PATTERN = /^[A-Za-z0-9._:/-]{0,64}$/;

function memberUrl(code: string, rest = ''): string {
  return apiUrl(`api/v1/contacts/members/${encodeURIComponent(code)}${rest}`);
}

const parseContacts = shaped<MemberContacts>(
  'contacts',
  (b) => typeof b['version'] === 'number' && Array.isArray(b['contacts']) && Array.isArray(b['problems']),
);

/** The member's contacts; the hub logs the read (contacts.read) with the reader. */
export function getContacts(code: string, signal?: AbortSignal): Promise<MemberContacts> {
  return requestJson('GET', memberUrl(code), parseContacts, { signal });
}

/** Replaces the whole list; 409 when `expectedVersion` is no longer the stored version. */
export function putContacts(code: string, contacts: ContactInput[], expectedVersion: number): Promise<MemberContacts> {
  const body: Schemas['ContactListWrite'] = { contacts, expected_version: expectedVersion };
  return requestJson('PUT', memberUrl(code), parseContacts, { body });
}

export function eraseContact(code: string, erasure: Erasure): Promise<ErasureResult> {
  return requestJson(
    'POST',
    memberUrl(code, '/erase'),
    shaped<ErasureResult>('erasure', (b) => typeof b['removed_from_current'] === 'number'),
    { body: erasure },
  );
}

export function isWindows(hours: Hours): hours is Exclude<Hours, 'always'> {
  return typeof hours === 'object' && hours !== null && Array.isArray(hours.windows);
}

/** Where a refused list points ("contacts[3].channels.email: …"): the contact's index and the field, or the list itself. */
export interface RefusedContact {
  /** 0-based index in the list as sent; null for the list itself. */
  index: number | null;
  /** "channels.email", "name", "hours.windows[0].from", …; "" for the list or the contact. */
  field: string;
  detail: string;
}

export function refusedContact(error: ApiError): RefusedContact {
  const message = error.serverMessage ?? '';
  const match = /^contacts(?:\[(\d+)\])?(?:\.([A-Za-z_.[\]0-9]+))?: (.*)$/s.exec(message);
  if (!match) return { index: null, field: '', detail: message };
  return { index: match[1] !== undefined ? Number(match[1]) : null, field: match[2] ?? '', detail: match[3] ?? '' };
}

export type RefusalReason =
  | 'out_of_band_missing'
  | 'out_of_band_channel'
  | 'out_of_band_twice'
  | 'role_missing'
  | 'priority_repeat'
  | 'priority'
  | 'email'
  | 'phone'
  | 'webhook'
  | 'channels'
  | 'name'
  | 'hours'
  | 'too_many'
  | 'other';

/** The reason of a refusal, from its field and the hub's message (src/contacts/contact.cpp). */
export function refusalReason(place: RefusedContact): RefusalReason {
  const { field, detail } = place;
  if (/with out_of_band true/.test(detail)) return 'out_of_band_missing';
  if (/needs a phone or a webhook/.test(detail)) return 'out_of_band_channel';
  if (/already out of band/.test(detail)) return 'out_of_band_twice';
  if (/at least one role contact/.test(detail)) return 'role_missing';
  if (/repeats the priority/.test(detail)) return 'priority_repeat';
  if (/at most \d+ are kept/.test(detail)) return 'too_many';
  if (field === 'priority') return 'priority';
  if (field === 'channels.email') return 'email';
  if (field === 'channels.phone') return 'phone';
  if (field === 'channels.webhook') return 'webhook';
  if (field === 'channels') return 'channels';
  if (field === 'name') return 'name';
  if (field.startsWith('hours')) return 'hours';
  return 'other';
}

/** The editor's field a refusal points at ("channels.email" -> "email", "hours.windows[0].to" -> "hours"). */
export function refusedInput(field: string): string {
  if (field.startsWith('channels.')) return field.slice('channels.'.length);
  if (field.startsWith('hours')) return 'hours';
  return field;
}
