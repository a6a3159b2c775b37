import { useEffect, useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n';
import { signIn, useSession } from '../../session';
import { AsyncView } from '../../ui/AsyncView';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { useAction } from '../../ui/useAction';

/** Sign-in with an access key (technically an API token); `#/login/<token>` (printed by the demo) signs in at once. */
export function LoginPage({ token }: { token: string | null }) {
  const { t } = useI18n();
  const session = useSession();
  const [value, setValue] = useState('');
  const check = useAction(signIn);
  const submit = (candidate: string) => void check.run(candidate);

  useEffect(() => {
    if (!token) return;
    // Drop the token from the address bar and history before using it.
    window.history.replaceState(window.history.state, '', '#/login');
    submit(token);
  }, [token]);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit(value);
  };

  return (
    <section className="panel login" aria-labelledby="login-title">
      <h1 id="login-title">{t('login.title')}</h1>
      {session.me ? (
        <p role="status" data-testid="login-done">
          {t('login.done', { member: session.me.member, org: session.me.organisation.name })}{' '}
          <a href="#/">{t('login.continue')}</a>
        </p>
      ) : (
        <form onSubmit={onSubmit}>
          <p>{t('login.text')}</p>
          <label>
            {t('login.token')}
            <input
              type="password"
              autoComplete="off"
              value={value}
              onChange={(event) => setValue(event.target.value)}
              data-testid="login-token"
            />
          </label>
          <button type="submit" disabled={check.pending || value.trim() === ''}>
            {check.pending ? t('login.checking') : t('login.submit')}
          </button>
          <details className="form-help">
            <summary>{t('login.tokenTerm')}</summary>
            <p>{t('login.tokenTermText')}</p>
          </details>
          <AsyncView
            state={check.state}
            loading={null}
            error={(error) =>
              error.kind === 'network' || error.kind === 'invalid' || (error.status ?? 0) >= 500 ? (
                <ErrorMessage error={error} />
              ) : (
                <div className="error" role="alert" data-testid="login-failed">
                  <strong>{t('login.failedTitle')}</strong>
                  <p>{t('login.failed')}</p>
                </div>
              )
            }
          >
            {() => null}
          </AsyncView>
        </form>
      )}
    </section>
  );
}
