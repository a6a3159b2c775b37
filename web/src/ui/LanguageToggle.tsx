import { useI18n } from '../i18n';

export function LanguageToggle() {
  const { lang, setLang, t } = useI18n();
  const next = lang === 'da' ? 'en' : 'da';
  return (
    <button
      type="button"
      className="lang-toggle"
      data-testid="lang-toggle"
      lang={next}
      aria-label={t('lang.switchLabel')}
      onClick={() => setLang(next)}
    >
      {t('lang.switchTo')}
    </button>
  );
}
