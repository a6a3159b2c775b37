/**
 * The dashboard's one way to show dates, times, numbers, relative times and
 * counted words. Pure functions of the language (no React, no imports), so
 * the tests can load this file as it is.
 *
 * Dates are "7. 12. 2026" in Danish and "07-12-2026" in English; times
 * "10.05" / "10:05"; always in Danish time (Europe/Copenhagen), whatever the
 * browser's zone, because the federation's deadlines and duty rotas are
 * Danish. The frame says so once (the footer). A value that is not a date is
 * shown as it is rather than as "Invalid Date"; an absent one as "—".
 */

export type FormatLang = 'da' | 'en';

export const LOCALES: Record<FormatLang, string> = { da: 'da-DK', en: 'en-GB' };
export const TIME_ZONE = 'Europe/Copenhagen';
export const NONE = '—';

export type DateInput = string | number | Date | null | undefined;

function toDate(value: DateInput): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

interface Parts {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
}

const partsFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** The calendar date and clock time in Denmark. */
function danishParts(date: Date): Parts {
  const out: Parts = { year: '', month: '', day: '', hour: '', minute: '' };
  for (const part of partsFormat.formatToParts(date)) {
    if (part.type in out) out[part.type as keyof Parts] = part.value;
  }
  return out;
}

const pad = (value: string) => value.padStart(2, '0');

/** A raw value that is not a date: shown as it is; absent: "—". */
function unreadable(value: DateInput): string {
  return value === null || value === undefined || value === '' ? NONE : String(value);
}

/** "7. 12. 2026" / "07-12-2026" (the day in Denmark). */
export function formatDate(lang: FormatLang, value: DateInput): string {
  const date = toDate(value);
  if (!date) return unreadable(value);
  const p = danishParts(date);
  return lang === 'da' ? `${Number(p.day)}. ${Number(p.month)}. ${p.year}` : `${pad(p.day)}-${pad(p.month)}-${p.year}`;
}

/** "10.05" / "10:05" (Danish time). */
export function formatTime(lang: FormatLang, value: DateInput): string {
  const date = toDate(value);
  if (!date) return unreadable(value);
  const p = danishParts(date);
  return `${pad(p.hour)}${lang === 'da' ? '.' : ':'}${pad(p.minute)}`;
}

/** "7. 12. 2026 kl. 10.05" / "07-12-2026 10:05" (Danish time). */
export function formatDateTime(lang: FormatLang, value: DateInput): string {
  const date = toDate(value);
  if (!date) return unreadable(value);
  return lang === 'da' ? `${formatDate(lang, date)} kl. ${formatTime(lang, date)}` : `${formatDate(lang, date)} ${formatTime(lang, date)}`;
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/** 12.345 / 12,345; `fractionDigits` fixes the decimals (none by default). */
export function formatNumber(lang: FormatLang, value: number, fractionDigits?: number): string {
  const key = `${lang}:${fractionDigits ?? ''}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(
      LOCALES[lang],
      fractionDigits === undefined
        ? { maximumFractionDigits: 0 }
        : { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits },
    );
    numberFormats.set(key, format);
  }
  return format.format(value);
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Whole days from `now` to `value` (negative in the past), by the clock, not the calendar. */
export function daysFrom(value: DateInput, now: number = Date.now()): number | null {
  const date = toDate(value);
  return date ? Math.trunc((date.getTime() - now) / DAY) : null;
}

/**
 * "om 3 timer", "for 2 dage siden" / "in 3 hours", "2 days ago": the largest
 * unit that fits, from Intl.RelativeTimeFormat in the current language.
 */
export function formatRelative(lang: FormatLang, value: DateInput, now: number = Date.now()): string {
  const date = toDate(value);
  if (!date) return unreadable(value);
  const diff = date.getTime() - now;
  const abs = Math.abs(diff);
  const format = new Intl.RelativeTimeFormat(LOCALES[lang], { numeric: 'always' });
  if (abs < HOUR) return format.format(Math.round(diff / MINUTE), 'minute');
  if (abs < 2 * DAY) return format.format(Math.round(diff / HOUR), 'hour');
  if (abs < 60 * DAY) return format.format(Math.round(diff / DAY), 'day');
  if (abs < 730 * DAY) return format.format(Math.round(diff / (30 * DAY)), 'month');
  return format.format(Math.round(diff / (365 * DAY)), 'year');
}

/** The singular and plural of a counted word; `one` is used where the language's rules say so. */
export interface PluralForms {
  one: string;
  other: string;
}

/** The form of a counted word for `count` (Intl.PluralRules), without the number. */
export function pluralForm(lang: FormatLang, count: number, forms: PluralForms): string {
  return new Intl.PluralRules(LOCALES[lang]).select(count) === 'one' ? forms.one : forms.other;
}

/** "1 observation", "1.234 observationer": the number and the word's form for it. */
export function plural(lang: FormatLang, count: number, forms: PluralForms): string {
  return `${formatNumber(lang, count)} ${pluralForm(lang, count, forms)}`;
}

/**
 * A code from the API (an enum value the catalogue does not know) in a
 * readable form: "supplied_by" -> "supplied by". Used only as the last
 * fallback; every known code has a catalogue entry.
 */
export function readableCode(code: string): string {
  const spaced = code.replace(/[_-]+/g, ' ').trim().toLowerCase();
  return spaced ? spaced.charAt(0).toUpperCase() + spaced.slice(1) : code;
}

/** The plural category of `count` for catalogue keys that end in ".one" / ".other". */
export function pluralCategory(lang: FormatLang, count: number): 'one' | 'other' {
  return new Intl.PluralRules(LOCALES[lang]).select(count) === 'one' ? 'one' : 'other';
}

/** Whole days, hours and minutes of a span in seconds (its absolute value). */
export function spanParts(seconds: number): { days: number; hours: number; minutes: number } {
  const total = Math.floor(Math.abs(seconds) / 60);
  return { days: Math.floor(total / 1440), hours: Math.floor((total % 1440) / 60), minutes: total % 60 };
}

const keyFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  hourCycle: 'h23',
});

/** The calendar day ("2026-12-07") or hour ("2026-12-07T10") in Denmark, for grouping by day or hour; null when not a date. */
export function calendarKey(value: DateInput, unit: 'day' | 'hour'): string | null {
  const date = toDate(value);
  if (!date) return null;
  const p: Record<string, string> = {};
  for (const part of keyFormat.formatToParts(date)) p[part.type] = part.value;
  const day = `${p.year}-${p.month}-${p.day}`;
  return unit === 'day' ? day : `${day}T${p.hour}`;
}
