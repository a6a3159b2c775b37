import { useI18n } from '../i18n';
import type { Route } from '../router';
import { LanguageToggle } from './LanguageToggle';

export function Header({ route }: { route: Route }) {
  const { t } = useI18n();
  const current = route.name === 'overview' ? 'overview' : route.name === 'not_found' ? '' : 'members';
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
      </nav>
      <LanguageToggle />
    </header>
  );
}
