import { useI18n } from '../i18n';
import type { Route } from '../router';
import { LanguageToggle } from './LanguageToggle';
import { FEATURES } from '../features/registry';
import { signOut, useSession } from '../session';

export function Header({ route }: { route: Route }) {
  const { t, lang } = useI18n();
  const session = useSession();
  const current =
    route.name === 'overview'
      ? 'overview'
      : route.name === 'feature'
        ? route.id
        : route.name === 'members' || route.name === 'member'
          ? 'members'
          : '';
  return (
    <header className="header">
      <a className="brand" href="#/">
        <span className="brand-mark" aria-hidden="true" />
        <span>
          <span className="brand-name">{t('app.name')}</span>
          <span className="brand-tagline">{t('app.tagline')}</span>
        </span>
      </a>
      <nav className="nav" aria-label={t('nav.main')}>
        <a href="#/" aria-current={current === 'overview' ? 'page' : undefined}>
          {t('nav.overview')}
        </a>
        <a href="#/members" aria-current={current === 'members' ? 'page' : undefined}>
          {t('nav.members')}
        </a>
        {FEATURES.map((feature) => (
          <a key={feature.id} href={`#/${feature.id}`} aria-current={current === feature.id ? 'page' : undefined}>
            {feature.label[lang]}
          </a>
        ))}
      </nav>
      <div className="session" data-testid="session">
        {session.me ? (
          <>
            <span className="session-who" title={session.me.organisation.name}>
              {session.me.member} · {session.me.organisation.name}
            </span>
            <button type="button" className="link-button" onClick={signOut}>
              {t('session.signOut')}
            </button>
          </>
        ) : (
          <a href="#/login">{t('session.signIn')}</a>
        )}
      </div>
      <LanguageToggle />
    </header>
  );
}
