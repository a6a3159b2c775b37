import { useI18n } from '../i18n';

/**
 * The hub's own words for a refusal or an outcome. They are English: shown in
 * English; in Danish only when the page has no sentence of its own for them
 * (`always`), and then collapsed as a secondary detail, marked as English for
 * screen readers.
 */
export function HubDetail({ message, always = false }: { message: string | null | undefined; always?: boolean }) {
  const { t, lang } = useI18n();
  if (!message || (lang !== 'en' && !always)) return null;
  if (lang === 'en') {
    return (
      <p className="error-detail hub-detail" lang="en">
        {message}
      </p>
    );
  }
  return (
    <details className="error-detail hub-detail">
      <summary>{t('common.hubMessage')}</summary>
      <p lang="en">{message}</p>
    </details>
  );
}
