/**
 * The dashboard's one message mechanism. Every string lives in a catalogue
 * (src/i18n/catalogues/<name>.ts, Danish first, English second); the core
 * catalogue's keys are used as they are, a page's catalogue is registered
 * under its name ("baseline.title"). `t()` is typed over all of them;
 * `useT('baseline')` is the same `t()` scoped to one catalogue.
 */
import { createContext, useCallback, useContext } from 'react';
import { messages as core } from './catalogues/core';
import { messages as baseline } from './catalogues/baseline';
import { messages as charts } from './catalogues/charts';
import { messages as contacts } from './catalogues/contacts';
import { messages as duty } from './catalogues/duty';
import { messages as exercises } from './catalogues/exercises';
import { messages as home } from './catalogues/home';
import { messages as incidents } from './catalogues/incidents';
import { messages as indicators } from './catalogues/indicators';
import { messages as notices } from './catalogues/notices';
import { messages as posture } from './catalogues/posture';
import { messages as protection } from './catalogues/protection';
import { messages as register } from './catalogues/register';
import { messages as risk } from './catalogues/risk';
import { messages as vulnerabilities } from './catalogues/vulnerabilities';
import type { Lang } from './catalogues/types';
import * as format from '../ui/format';
import type { DateInput, PluralForms } from '../ui/format';

export type { Lang } from './catalogues/types';

export const LANGS: readonly Lang[] = ['da', 'en'];

/** The page catalogues, each registered under its name. */
const CATALOGUES = { baseline, charts, contacts, duty, exercises, home, incidents, indicators, notices, posture, protection, register, risk, vulnerabilities };

export type Namespace = keyof typeof CATALOGUES;
export type ScopedKey<N extends Namespace> = keyof (typeof CATALOGUES)[N]['da'] & string;
export type CoreKey = keyof typeof core.da;
export type MessageKey = CoreKey | { [N in Namespace]: `${N}.${ScopedKey<N>}` }[Namespace];

function flatten(lang: Lang): Record<string, string> {
  const out: Record<string, string> = { ...core[lang] };
  for (const [name, catalogue] of Object.entries(CATALOGUES)) {
    for (const [key, text] of Object.entries(catalogue[lang] as Record<string, string>)) out[`${name}.${key}`] = text;
  }
  return out;
}

const dictionaries: Record<Lang, Record<string, string>> = { da: flatten('da'), en: flatten('en') };

export type Vars = Record<string, string | number>;

/** `{count, plural, one {# observation} other {# observationer}}`: a counted word in a catalogue. */
const PLURAL = /\{(\w+), plural,((?:\s*(?:=\d+|zero|one|two|few|many|other)\s*\{[^{}]*\})+)\s*\}/g;
const PLURAL_CASE = /(=\d+|zero|one|two|few|many|other)\s*\{([^{}]*)\}/g;

/**
 * A catalogue text with its variables filled in. A counted word is written
 * `{name, plural, one {…} other {…}}` (the ICU form, `#` for the number,
 * shown with the language's thousands separator) and picked by
 * Intl.PluralRules, so "1 observation" and "1.234 observationer" both read right.
 */
export function translate(lang: Lang, key: MessageKey, vars?: Vars): string {
  const template = dictionaries[lang][key] ?? dictionaries.da[key] ?? key;
  if (!vars) return template;
  const counted = template.replace(PLURAL, (whole, name: string, cases: string) => {
    const value = vars[name];
    const count = typeof value === 'number' ? value : Number(value);
    if (value === undefined || Number.isNaN(count)) return whole;
    const forms = new Map<string, string>();
    for (const match of cases.matchAll(PLURAL_CASE)) forms.set(match[1]!, match[2]!);
    const form = forms.get(`=${count}`) ?? forms.get(new Intl.PluralRules(LOCALES[lang]).select(count)) ?? forms.get('other') ?? '';
    return form.replace(/#/g, format.formatNumber(lang, count));
  });
  return counted.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = vars[name];
    return value === undefined ? whole : String(value);
  });
}

/** Looks up a key built at run time (e.g. a relation from the API); undefined if unknown. */
export function translateDynamic(lang: Lang, key: string): string | undefined {
  const dict = dictionaries[lang];
  return Object.prototype.hasOwnProperty.call(dict, key) ? dict[key] : undefined;
}

export const LOCALES: Record<Lang, string> = format.LOCALES;

const STORAGE_KEY = 'dannevirke.lang';

export function loadLang(): Lang {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (stored === 'da' || stored === 'en') return stored;
  } catch {
    // Storage can be unavailable (privacy mode); fall back to Danish.
  }
  return 'da';
}

export function saveLang(lang: Lang): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Not persisted; the choice still applies to this page view.
  }
}

export interface I18n {
  lang: Lang;
  locale: string;
  setLang: (lang: Lang) => void;
  t: (key: MessageKey, vars?: Vars) => string;
  kindLabel: (kind: string) => string;
  relationLabel: (relation: string) => string;
  regionLabel: (code: string | null | undefined, fallback?: string | null) => string;
  /** A code from the API through the catalogue `prefix` ("status." + code), or a readable form of it. */
  codeLabel: (prefix: string, code: string | null | undefined) => string;
  formatNumber: (value: number, fractionDigits?: number) => string;
  /** A date or time in the current language, in Danish time (src/ui/format.ts); "—" when absent. */
  formatDate: (iso: DateInput, style?: 'date' | 'datetime' | 'time') => string;
  /** "om 3 timer" / "in 3 hours", "for 2 dage siden" / "2 days ago". */
  formatRelative: (iso: DateInput, now?: number) => string;
  /** "1 observation", "3 observationer": the number and the word's form for it. */
  plural: (count: number, forms: PluralForms) => string;
}

export function makeI18n(lang: Lang, setLang: (lang: Lang) => void): I18n {
  const lookup = (prefix: string, code: string) => translateDynamic(lang, `${prefix}${code}`);
  return {
    lang,
    locale: LOCALES[lang],
    setLang,
    t: (key, vars) => translate(lang, key, vars),
    kindLabel: (kind) => lookup('kind.', kind) ?? format.readableCode(kind),
    relationLabel: (relation) => lookup('relation.', relation) ?? format.readableCode(relation),
    regionLabel: (code, fallback) => {
      if (code) {
        const known = translateDynamic(lang, `region.${code}`);
        if (known) return known;
      }
      return fallback ?? code ?? dictionaries[lang]['common.none'] ?? '—';
    },
    codeLabel: (prefix, code) => {
      if (!code) return dictionaries[lang]['common.none'] ?? '—';
      const key = prefix.endsWith('.') ? prefix : `${prefix}.`;
      return lookup(key, code) ?? lookup(key, code.toLowerCase()) ?? format.readableCode(code);
    },
    formatNumber: (value, fractionDigits) => format.formatNumber(lang, value, fractionDigits),
    formatDate: (iso, style = 'datetime') =>
      style === 'date' ? format.formatDate(lang, iso) : style === 'time' ? format.formatTime(lang, iso) : format.formatDateTime(lang, iso),
    formatRelative: (iso, now) => format.formatRelative(lang, iso, now),
    plural: (count, forms) => format.plural(lang, count, forms),
  };
}

export const I18nContext = createContext<I18n>(makeI18n('da', () => undefined));

export function useI18n(): I18n {
  return useContext(I18nContext);
}

/** `t()` scoped to one page catalogue: `useT('baseline')('title')` is `t('baseline.title')`. */
export function useT<N extends Namespace>(namespace: N): (key: ScopedKey<N>, vars?: Vars) => string {
  const { t } = useI18n();
  return useCallback((key: ScopedKey<N>, vars?: Vars) => t(`${namespace}.${key}` as MessageKey, vars), [t, namespace]);
}
