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

export type { Lang } from './catalogues/types';

export const LANGS: readonly Lang[] = ['da', 'en'];

/** The page catalogues, each registered under its name. */
const CATALOGUES = { baseline, contacts, duty, exercises, home, incidents, indicators, notices, posture, protection, register, risk, vulnerabilities };

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

export function translate(lang: Lang, key: MessageKey, vars?: Vars): string {
  const template = dictionaries[lang][key] ?? dictionaries.da[key] ?? key;
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = vars[name];
    return value === undefined ? whole : String(value);
  });
}

/** Looks up a key built at run time (e.g. a relation from the API); undefined if unknown. */
export function translateDynamic(lang: Lang, key: string): string | undefined {
  const dict = dictionaries[lang];
  return Object.prototype.hasOwnProperty.call(dict, key) ? dict[key] : undefined;
}

export const LOCALES: Record<Lang, string> = { da: 'da-DK', en: 'en-GB' };

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
  formatNumber: (value: number, fractionDigits?: number) => string;
  /** An ISO date or time in the current language (Danish time zone); "—" when absent. */
  formatDate: (iso: string | null | undefined, style?: 'date' | 'datetime') => string;
}

export function makeI18n(lang: Lang, setLang: (lang: Lang) => void): I18n {
  const locale = LOCALES[lang];
  const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const fixed = new Map<number, Intl.NumberFormat>();
  const dates = {
    date: new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'Europe/Copenhagen' }),
    datetime: new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Copenhagen' }),
  };
  return {
    lang,
    locale,
    setLang,
    t: (key, vars) => translate(lang, key, vars),
    kindLabel: (kind) => translateDynamic(lang, `kind.${kind}`) ?? kind,
    relationLabel: (relation) => translateDynamic(lang, `relation.${relation}`) ?? relation.replace(/_/g, ' '),
    regionLabel: (code, fallback) => {
      if (code) {
        const known = translateDynamic(lang, `region.${code}`);
        if (known) return known;
      }
      return fallback ?? code ?? dictionaries[lang]['common.none'] ?? '—';
    },
    formatNumber: (value, fractionDigits) => {
      if (fractionDigits === undefined) return integer.format(value);
      // A formatter is costly to make: a page of figures would make one per cell.
      let format = fixed.get(fractionDigits);
      if (!format) {
        format = new Intl.NumberFormat(locale, {
          minimumFractionDigits: fractionDigits,
          maximumFractionDigits: fractionDigits,
        });
        fixed.set(fractionDigits, format);
      }
      return format.format(value);
    },
    formatDate: (iso, style = 'datetime') => {
      if (!iso) return dictionaries[lang]['common.none'] ?? '—';
      const date = new Date(iso);
      return Number.isNaN(date.getTime()) ? iso : dates[style].format(date);
    },
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
