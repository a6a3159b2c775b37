import { useI18n } from '../i18n';

/**
 * The hub's own words for a refusal or an outcome. They are English: shown in
 * English, and in Danish only when the page has no sentence of its own for
 * them (`always`), then marked as English for screen readers.
 */
export function HubDetail({ message, always = false }: { message: string | null | undefined; always?: boolean }) {
  const { t, lang } = useI18n();
  if (!message || (lang !== 'en' && !always)) return null;
  return (
    <p className="error-detail hub-detail">
      {lang === 'en' ? null : <span>{t('common.hubMessage')} </span>}
      <span lang="en">{message}</span>
    </p>
  );
}
