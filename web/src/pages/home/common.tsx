/** Pieces the home pages share: a section, counted nouns, deadline countdowns and a product's name from its CPE. */
import type { ReactNode } from 'react';
import { useI18n, useT } from '../../i18n';
import { formatDate, pluralCategory, spanParts } from '../../ui/format';
import { cpeWords, vendorName } from '../vulnerabilities/product';

/** One question of the home page: a titled region that shows its own loading and error. */
export function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="panel home-section" aria-labelledby={`home-${id}`} data-testid={`home-${id}`}>
      <h2 id={`home-${id}`}>{title}</h2>
      {children}
    </section>
  );
}

export type Counted = 'observations' | 'incidents' | 'findings' | 'members' | 'notifications' | 'assets' | 'days' | 'hours' | 'minutes' | 'keys';

/** "1 observation" / "2 observationer", the number in the language's format. */
export function useCount(): (noun: Counted, n: number) => string {
  const t = useT('home');
  const { formatNumber, lang } = useI18n();
  return (noun, n) => t(`count.${noun}.${pluralCategory(lang, n)}`, { n: formatNumber(n) });
}

/** A span in words: days and hours, or hours and minutes under a day. */
export function useSpan(): (seconds: number) => string {
  const count = useCount();
  return (seconds) => {
    const { days, hours, minutes } = spanParts(seconds);
    if (days > 0) return hours > 0 ? `${count('days', days)} ${count('hours', hours)}` : count('days', days);
    if (hours > 0) return `${count('hours', hours)} ${count('minutes', minutes)}`;
    return count('minutes', minutes);
  };
}

/** A day in the language's format (d. m. åååå, dd-mm-yyyy), in Danish time. */
export function useDay(): (iso: string | null | undefined) => string {
  const { lang } = useI18n();
  return (iso) => formatDate(lang, iso);
}

const DAY_SECONDS = 86_400;

/** A NIS2 deadline's countdown; overdue and under-a-day said in words and marked with a symbol, not by colour only. */
export function Countdown({ dueUtc, now }: { dueUtc: string; now: number }) {
  const t = useT('home');
  const span = useSpan();
  const seconds = Math.round((Date.parse(dueUtc) - now) / 1000);
  if (seconds < 0) {
    return (
      <strong className="home-risk home-risk-overdue" data-risk="overdue">
        <span aria-hidden="true">⚠ </span>
        {t('deadlineOverdue', { span: span(seconds) })}
      </strong>
    );
  }
  const atRisk = seconds < DAY_SECONDS;
  return (
    <span className={atRisk ? 'home-risk home-risk-soon' : 'home-risk'} data-risk={atRisk ? 'soon' : 'ok'}>
      {atRisk ? <span aria-hidden="true">⚠ </span> : null}
      {t('deadlineLeft', { span: span(seconds) })}
      {atRisk ? ` (${t('deadlineAtRisk')})` : ''}
    </span>
  );
}

/** Seconds left to a deadline (negative when overdue), for sorting. */
export function secondsLeft(dueUtc: string, now: number): number {
  return (Date.parse(dueUtc) - now) / 1000;
}

/** Vendor and product of a CPE 2.3 name ("cpe:2.3:h:zyxel:usg_flex_100:…" → Zyxel, usg flex 100); null for anything else. */
export function cpeProduct(cpe: string | null | undefined): { vendor: string; product: string } | null {
  const match = /^cpe:2\.3:[aho]:([^:]+):([^:\s]+)/.exec(cpe?.trim() ?? '');
  if (!match?.[1] || !match[2]) return null;
  return { vendor: vendorName(match[1]), product: cpeWords(match[2]) };
}

/** Where a name goes in a translated sentence rendered by WithName. */
export const NAME_SLOT = '\u0000';

/**
 * A translated sentence with a name from the data in it (a product, an
 * asset), the name marked as data (data-user-text) rather than the
 * dashboard's own words. `text` holds NAME_SLOT where the name goes.
 */
export function WithName({ text, name }: { text: string; name: string }) {
  const at = text.indexOf(NAME_SLOT);
  if (at < 0) return <>{text}</>;
  return (
    <>
      {text.slice(0, at)}
      <span data-user-text>{name}</span>
      {text.slice(at + NAME_SLOT.length)}
    </>
  );
}
