import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useI18n, type MessageKey } from '../i18n';
import { signOut, useSession } from '../session';
import { LanguageToggle } from './LanguageToggle';

/**
 * The banner: skip link, brand, session, language and the main navigation
 * (`current` is the id of the link marked as the page). Below 56rem the
 * navigation folds behind a menu button (a disclosure: aria-expanded,
 * Escape closes it and returns focus to the button, following a link closes it).
 */
export function Header({ links, current }: { links: readonly { id: string; href: string; label: MessageKey }[]; current: string }) {
  const { t } = useI18n();
  const session = useSession();
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);

  // A new page closes the menu.
  useEffect(() => setOpen(false), [current]);

  const onNavKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && open) {
      setOpen(false);
      toggle.current?.focus();
    }
  };

  return (
    <header className="header">
      <a
        className="skip-link"
        href="#main"
        onClick={(event) => {
          // The address is the route: move focus without changing the hash.
          event.preventDefault();
          const main = document.getElementById('main');
          main?.focus();
          main?.scrollIntoView();
        }}
      >
        {t('nav.skip')}
      </a>
      <a className="brand" href="#/">
        <span className="brand-mark" aria-hidden="true" />
        <span>
          <span className="brand-name">{t('app.name')}</span>
          <span className="brand-tagline">{t('app.tagline')}</span>
        </span>
      </a>
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
      <button
        ref={toggle}
        type="button"
        className="nav-toggle"
        data-testid="nav-toggle"
        aria-expanded={open}
        aria-controls="main-nav"
        onClick={() => setOpen((was) => !was)}
      >
        <span className="nav-toggle-mark" aria-hidden="true" />
        {t('nav.menu')}
      </button>
      <nav id="main-nav" className={open ? 'nav nav--open' : 'nav'} aria-label={t('nav.main')} onKeyDown={onNavKey}>
        {links.map((link) => (
          <a
            key={link.id}
            href={link.href}
            aria-current={current === link.id ? 'page' : undefined}
            onClick={() => setOpen(false)}
          >
            {t(link.label)}
          </a>
        ))}
      </nav>
    </header>
  );
}
