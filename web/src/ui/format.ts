/**
 * Day dates, countdowns and plural choice in the dashboard's two languages,
 * always in Danish time (Europe/Copenhagen) whatever the browser's zone.
 * Numbers and date-times stay with useI18n().formatNumber / formatDate.
 */
import type { Lang } from '../i18n';

const TIME_ZONE = 'Europe/Copenhagen';

const dayParts = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, year: 'numeric', month: 'numeric', day: 'numeric' });

/** A calendar day: "7. 12. 2026" in Danish, "07-12-2026" in English; "—" when absent or unreadable. */
export function formatDay(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '—';
  // A bare date ("2023-11-08") is a calendar day already: no time zone moves it.
  const bare = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  let year: number;
  let month: number;
  let day: number;
  if (bare) {
    [year, month, day] = [Number(bare[1]), Number(bare[2]), Number(bare[3])];
  } else {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return iso;
    const parts = dayParts.formatToParts(date);
    const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
    [year, month, day] = [get('year'), get('month'), get('day')];
  }
  if (lang === 'da') return `${day}. ${month}. ${year}`;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(day)}-${two(month)}-${year}`;
}

/** Which form of a counted noun: 'one' for exactly 1, else 'other' (Danish and English agree). */
export function pluralForm(count: number): 'one' | 'other' {
  return count === 1 ? 'one' : 'other';
}

/** Whole days, hours and minutes of a span in seconds (its absolute value). */
export function spanParts(seconds: number): { days: number; hours: number; minutes: number } {
  const total = Math.floor(Math.abs(seconds) / 60);
  return { days: Math.floor(total / 1440), hours: Math.floor((total % 1440) / 60), minutes: total % 60 };
}
