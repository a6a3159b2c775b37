import { useI18n, type MessageKey } from '../i18n';
import { signOut, useSession } from '../session';
import { LanguageToggle } from './LanguageToggle';

/** The banner: brand, main navigation (`current` is the id of the link marked as the page), session, language. */
export function Header({ links, current }: { links: readonly { id: string; href: string; label: MessageKey }[]; current: string }) {
  const { t } = useI18n();
  const session = useSession();
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
        {links.map((link) => (
          <a key={link.id} href={link.href} aria-current={current === link.id ? 'page' : undefined}>
            {t(link.label)}
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
