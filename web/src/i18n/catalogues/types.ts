/** The shape of one message catalogue: every key in Danish (first) and English. */
export type Lang = 'da' | 'en';

export type Catalogue<K extends string> = Record<Lang, Record<K, string>>;
