import type { ApiError } from '../api';
import { useI18n } from '../i18n';

export function ErrorMessage({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  const { t } = useI18n();
  let text: string;
  if (error.kind === 'network') text = t('error.network');
  else if (error.kind === 'invalid') text = t('error.invalid');
  else text = t('error.http', { status: error.status ?? '?' });
  return (
    <div className="error" role="alert" data-testid="api-error">
      <strong>{t('error.title')}</strong>
      <p>{text}</p>
      {error.serverMessage ? <p className="error-detail">{error.serverMessage}</p> : null}
      {onRetry ? (
        <button type="button" onClick={onRetry}>
          {t('common.retry')}
        </button>
      ) : null}
    </div>
  );
}
