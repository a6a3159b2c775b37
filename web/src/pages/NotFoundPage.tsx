import { useI18n } from '../i18n';

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <section className="panel" data-testid="not-found">
      <h1>{t('notFound.title')}</h1>
      <p>
        <a href="#/">{t('notFound.link')}</a>
      </p>
    </section>
  );
}
