import { createContext, useContext } from 'react';

export type Lang = 'da' | 'en';

export const LANGS: readonly Lang[] = ['da', 'en'];

const da = {
  'app.title': 'Dannevirke — fælles cyberforsvar',
  'app.name': 'Dannevirke',
  'app.tagline': 'Fælles cyberforsvar for den offentlige sektor',
  'nav.overview': 'Oversigt',
  'nav.members': 'Medlemmer',
  'nav.main': 'Hovednavigation',
  'lang.switchTo': 'English',
  'lang.switchLabel': 'Switch to English',

  'common.loading': 'Henter …',
  'common.retry': 'Prøv igen',
  'common.none': '—',

  'error.title': 'Data kunne ikke hentes',
  'error.network': 'Ingen forbindelse til hubben. Kontrollér netværket og prøv igen.',
  'error.http': 'Hubben svarede med fejl {status}.',
  'error.invalid': 'Hubben sendte et svar, som ikke kunne læses.',

  'hub.version': 'Hub {version}',
  'hub.unreachable': 'Hub utilgængelig',

  'overview.heading': 'Oversigt',
  'overview.mapTitle': 'Danmarks 98 kommuner',
  'overview.mapHint': 'Klik på en kommune for at se dens afhængigheder.',
  'overview.mapLabel': 'Kort over Danmark med kommuner farvet efter region',
  'overview.counts': 'Medlemmer',
  'overview.legend': 'Regioner',
  'overview.legendCount': '{n} kommuner',
  'overview.unknownRegion': 'Ukendt region',

  'count.municipality': 'Kommuner',
  'count.region': 'Regioner',
  'count.state_body': 'Statslige myndigheder',
  'count.shared_system': 'Fælles nationale systemer',
  'count.supplier': 'Leverandører',

  'members.heading': 'Medlemmer',
  'members.search': 'Søg',
  'members.searchPlaceholder': 'Navn eller kode',
  'members.region': 'Region',
  'members.kind': 'Type',
  'members.allRegions': 'Alle regioner',
  'members.allKinds': 'Alle typer',
  'members.noRegion': 'Uden region',
  'members.shown': 'Viser {shown} af {total}',
  'members.empty': 'Ingen medlemmer matcher filtrene.',
  'members.col.code': 'Kode',
  'members.col.name': 'Navn',
  'members.col.kind': 'Type',
  'members.col.region': 'Region',
  'members.col.population': 'Indbyggere',
  'members.clear': 'Nulstil filtre',

  'member.back': 'Tilbage til medlemmer',
  'member.code': 'Kode',
  'member.kind': 'Type',
  'member.region': 'Region',
  'member.population': 'Indbyggere',
  'member.stix': 'STIX-id',
  'member.dependencies': 'Afhænger af',
  'member.dependents': 'Afhængige',
  'member.noDependencies': 'Ingen registrerede afhængigheder.',
  'member.noDependents': 'Ingen registrerer afhængighed af dette medlem.',
  'member.signInForRelations': 'Afhængigheder er fortrolige. Log ind for at se dem.',
  'member.relation': 'Relation',
  'member.strength': 'Styrke',
  'member.illustrative': 'illustrativ',
  'member.illustrativeHint': 'Illustrativ forbindelse — ikke bekræftet',
  'member.unknownTitle': 'Ukendt medlem',
  'member.unknownText': 'Der findes intet medlem med koden {code}.',

  'session.signIn': 'Log ind',
  'session.signOut': 'Log ud',
  'login.title': 'Log ind',
  'login.text': 'Indsæt dit API-token fra hubben. Det gemmes kun i denne fane og slettes, når fanen lukkes.',
  'login.token': 'API-token',
  'login.submit': 'Log ind',
  'login.checking': 'Kontrollerer …',
  'login.failed': 'Hubben afviste tokenet.',
  'login.done': 'Logget ind som {member} ({org}).',
  'login.continue': 'Fortsæt til oversigten',

  'notFound.title': 'Siden findes ikke',
  'notFound.link': 'Gå til oversigten',

  'kind.municipality': 'Kommune',
  'kind.region': 'Region',
  'kind.state_body': 'Statslig myndighed',
  'kind.shared_system': 'Fælles nationalt system',
  'kind.supplier': 'Leverandør',
  'kind.health': 'Sundhed',
  'kind.utility': 'Forsyning',
  'kind.other': 'Andet',

  'relation.uses_system': 'bruger system',
  'relation.supplied_by': 'leveres af',
  'relation.exchanges_data_with': 'udveksler data med',
  'relation.network_link': 'netforbindelse',
  'relation.shared_admin_access': 'delt administratoradgang',
  'relation.remote_access': 'fjernadgang',
  'relation.member_of_region': 'hører til region',
  'relation.coordinated_by': 'koordineres af',

  'region.1081': 'Region Nordjylland',
  'region.1082': 'Region Midtjylland',
  'region.1083': 'Region Syddanmark',
  'region.1084': 'Region Hovedstaden',
  'region.1085': 'Region Sjælland',
} as const;

export type MessageKey = keyof typeof da;
type Dictionary = Record<MessageKey, string>;

const en: Dictionary = {
  'app.title': 'Dannevirke — shared cyber defence',
  'app.name': 'Dannevirke',
  'app.tagline': 'Shared cyber defence of the Danish public sector',
  'nav.overview': 'Overview',
  'nav.members': 'Members',
  'nav.main': 'Main navigation',
  'lang.switchTo': 'Dansk',
  'lang.switchLabel': 'Skift til dansk',

  'common.loading': 'Loading …',
  'common.retry': 'Try again',
  'common.none': '—',

  'error.title': 'Could not load data',
  'error.network': 'No connection to the hub. Check the network and try again.',
  'error.http': 'The hub answered with error {status}.',
  'error.invalid': 'The hub sent a response that could not be read.',

  'hub.version': 'Hub {version}',
  'hub.unreachable': 'Hub unreachable',

  'overview.heading': 'Overview',
  'overview.mapTitle': 'The 98 municipalities of Denmark',
  'overview.mapHint': 'Click a municipality to see its dependencies.',
  'overview.mapLabel': 'Map of Denmark with municipalities coloured by region',
  'overview.counts': 'Members',
  'overview.legend': 'Regions',
  'overview.legendCount': '{n} municipalities',
  'overview.unknownRegion': 'Unknown region',

  'count.municipality': 'Municipalities',
  'count.region': 'Regions',
  'count.state_body': 'State bodies',
  'count.shared_system': 'Shared national systems',
  'count.supplier': 'Suppliers',

  'members.heading': 'Members',
  'members.search': 'Search',
  'members.searchPlaceholder': 'Name or code',
  'members.region': 'Region',
  'members.kind': 'Kind',
  'members.allRegions': 'All regions',
  'members.allKinds': 'All kinds',
  'members.noRegion': 'No region',
  'members.shown': 'Showing {shown} of {total}',
  'members.empty': 'No members match the filters.',
  'members.col.code': 'Code',
  'members.col.name': 'Name',
  'members.col.kind': 'Kind',
  'members.col.region': 'Region',
  'members.col.population': 'Population',
  'members.clear': 'Clear filters',

  'member.back': 'Back to members',
  'member.code': 'Code',
  'member.kind': 'Kind',
  'member.region': 'Region',
  'member.population': 'Population',
  'member.stix': 'STIX id',
  'member.dependencies': 'Depends on',
  'member.dependents': 'Dependents',
  'member.noDependencies': 'No recorded dependencies.',
  'member.noDependents': 'Nobody records a dependency on this member.',
  'member.signInForRelations': 'Dependencies are confidential. Sign in to see them.',
  'member.relation': 'Relation',
  'member.strength': 'Strength',
  'member.illustrative': 'illustrative',
  'member.illustrativeHint': 'Illustrative edge — not confirmed',
  'member.unknownTitle': 'Unknown member',
  'member.unknownText': 'There is no member with code {code}.',

  'session.signIn': 'Sign in',
  'session.signOut': 'Sign out',
  'login.title': 'Sign in',
  'login.text': 'Paste your API token from the hub. It is kept only in this tab and removed when the tab closes.',
  'login.token': 'API token',
  'login.submit': 'Sign in',
  'login.checking': 'Checking …',
  'login.failed': 'The hub refused the token.',
  'login.done': 'Signed in as {member} ({org}).',
  'login.continue': 'Continue to the overview',

  'notFound.title': 'Page not found',
  'notFound.link': 'Go to the overview',

  'kind.municipality': 'Municipality',
  'kind.region': 'Region',
  'kind.state_body': 'State body',
  'kind.shared_system': 'Shared national system',
  'kind.supplier': 'Supplier',
  'kind.health': 'Health',
  'kind.utility': 'Utility',
  'kind.other': 'Other',

  'relation.uses_system': 'uses system',
  'relation.supplied_by': 'supplied by',
  'relation.exchanges_data_with': 'exchanges data with',
  'relation.network_link': 'network link',
  'relation.shared_admin_access': 'shared admin access',
  'relation.remote_access': 'remote access',
  'relation.member_of_region': 'member of region',
  'relation.coordinated_by': 'coordinated by',

  'region.1081': 'North Denmark Region',
  'region.1082': 'Central Denmark Region',
  'region.1083': 'Region of Southern Denmark',
  'region.1084': 'Capital Region of Denmark',
  'region.1085': 'Region Zealand',
};

const dictionaries: Record<Lang, Dictionary> = { da, en };

export type Vars = Record<string, string | number>;

export function translate(lang: Lang, key: MessageKey, vars?: Vars): string {
  const template = dictionaries[lang][key];
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = vars[name];
    return value === undefined ? whole : String(value);
  });
}

/** Looks up a key built at run time (e.g. a relation from the API); undefined if unknown. */
export function translateDynamic(lang: Lang, key: string): string | undefined {
  const dict = dictionaries[lang];
  return Object.prototype.hasOwnProperty.call(dict, key) ? dict[key as MessageKey] : undefined;
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
  regionLabel: (code: string | null, fallback?: string | null) => string;
  formatNumber: (value: number, fractionDigits?: number) => string;
}

export function makeI18n(lang: Lang, setLang: (lang: Lang) => void): I18n {
  const locale = LOCALES[lang];
  const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
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
      return fallback ?? code ?? dictionaries[lang]['common.none'];
    },
    formatNumber: (value, fractionDigits) =>
      fractionDigits === undefined
        ? integer.format(value)
        : new Intl.NumberFormat(locale, {
            minimumFractionDigits: fractionDigits,
            maximumFractionDigits: fractionDigits,
          }).format(value),
  };
}

export const I18nContext = createContext<I18n>(makeI18n('da', () => undefined));

export function useI18n(): I18n {
  return useContext(I18nContext);
}
