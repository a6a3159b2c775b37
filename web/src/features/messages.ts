/**
 * Messages of one dashboard feature, Danish first. Each feature keeps its own
 * dictionary beside its pages:
 *
 *   const messages = { da: { 'title': 'Basisniveau' }, en: { 'title': 'Baseline' } } as const;
 *   const t = useMessages(messages);  t('title')
 */
import { useI18n, type Lang, type Vars } from '../i18n';

export type Messages<K extends string> = Record<Lang, Record<K, string>>;

export function useMessages<K extends string>(messages: Messages<K>): (key: K, vars?: Vars) => string {
  const { lang } = useI18n();
  return (key, vars) => {
    const template = messages[lang][key] ?? messages.da[key] ?? key;
    if (!vars) return template;
    return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = vars[name];
      return value === undefined ? whole : String(value);
    });
  };
}
