import type { ApiError } from '../api';
import { useI18n, type MessageKey } from '../i18n';

/** The hub's kinds (and HTTP statuses) this dashboard has a sentence for, by the sentence's key. */
const KIND_SENTENCE: Record<string, MessageKey> = {
  not_found: 'error.kind.not_found',
  http_404: 'error.kind.not_found',
  unauthorized: 'error.kind.unauthorized',
  unauthenticated: 'error.kind.unauthorized',
  http_401: 'error.kind.unauthorized',
  forbidden: 'error.kind.forbidden',
  permission_denied: 'error.kind.forbidden',
  http_403: 'error.kind.forbidden',
  invalid_argument: 'error.kind.invalid_argument',
  parse_error: 'error.kind.invalid_argument',
  http_400: 'error.kind.invalid_argument',
  http_413: 'error.kind.invalid_argument',
  conflict: 'error.kind.conflict',
  http_409: 'error.kind.conflict',
  rate_limited: 'error.kind.rate_limited',
  http_429: 'error.kind.rate_limited',
  unavailable: 'error.kind.unavailable',
  http_502: 'error.kind.unavailable',
  http_503: 'error.kind.unavailable',
  http_504: 'error.kind.unavailable',
  unsupported: 'error.kind.unsupported',
  http_405: 'error.kind.unsupported',
  http_501: 'error.kind.unsupported',
  internal: 'error.kind.internal',
  io_error: 'error.kind.internal',
  http_500: 'error.kind.internal',
};

/** Kinds where trying again cannot help: the address, the sign-in or the request must change. */
const NO_RETRY = new Set<MessageKey>(['error.kind.not_found', 'error.kind.unauthorized', 'error.kind.forbidden', 'error.kind.invalid_argument', 'error.kind.unsupported']);

/** The sentence key for an error: the hub's kind first, then its HTTP status. */
export function errorSentenceKey(error: ApiError): MessageKey {
  if (error.kind === 'network') return 'error.network';
  if (error.kind === 'invalid') return 'error.invalid';
  return (
    (error.hubKind ? KIND_SENTENCE[error.hubKind] : undefined) ??
    (error.status !== null ? KIND_SENTENCE[`http_${error.status}`] : undefined) ??
    'error.http'
  );
}

/**
 * A failed load or action in words: one translated sentence per kind of
 * failure, a way on where there is one (sign in again; try again only where
 * that can help), and the hub's own English message as a secondary,
 * collapsed detail marked lang="en".
 */
export function ErrorMessage({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  const { t, lang } = useI18n();
  const key = errorSentenceKey(error);
  const notFound = key === 'error.kind.not_found';
  const signIn = key === 'error.kind.unauthorized';
  const code = error.hubKind ?? (error.status !== null ? `HTTP ${error.status}` : null);
  return (
    <div className="error" role="alert" data-testid="api-error" data-error-kind={error.hubKind ?? error.kind}>
      <strong>{notFound ? t('error.notFoundTitle') : t('error.title')}</strong>
      <p>{t(key, { status: error.status ?? '?' })}</p>
      {signIn ? (
        <p>
          <a href="#/login">{t('error.signInAgain')}</a>
        </p>
      ) : null}
      {error.serverMessage ? (
        lang === 'en' ? (
          <p className="error-detail" lang="en">
            {error.serverMessage}
          </p>
        ) : (
          <details className="error-detail">
            <summary>{t('error.detail')}</summary>
            <p lang="en">{error.serverMessage}</p>
            {code ? (
              <p>
                {t('error.code')}: <code>{code}</code>
              </p>
            ) : null}
          </details>
        )
      ) : null}
      {onRetry && !NO_RETRY.has(key) ? (
        <button type="button" onClick={onRetry}>
          {t('common.retry')}
        </button>
      ) : null}
    </div>
  );
}
