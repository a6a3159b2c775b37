import { useCallback, useEffect, useMemo, useState } from 'react';
import { I18nContext, loadLang, makeI18n, saveLang, type Lang } from './i18n';
import { useRoute } from './router';
import { Header } from './components/Header';
import { Footer } from './components/Footer';
import { OverviewPage } from './components/OverviewPage';
import { MembersPage } from './components/MembersPage';
import { MemberPage } from './components/MemberPage';
import { NotFoundPage } from './components/NotFoundPage';
import { LoginPage } from './components/LoginPage';
import { findFeature } from './features/registry';
import { restoreSession } from './session';

export function App() {
  const [lang, setLangState] = useState<Lang>(loadLang);
  const setLang = useCallback((next: Lang) => {
    saveLang(next);
    setLangState(next);
  }, []);
  const i18n = useMemo(() => makeI18n(lang, setLang), [lang, setLang]);
  const route = useRoute();

  useEffect(() => {
    void restoreSession();
  }, []);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = i18n.t('app.title');
  }, [lang, i18n]);

  useEffect(() => {
    window.scrollTo(0, 0);
  }, [route.name, route.name === 'member' ? route.code : '']);

  let page;
  switch (route.name) {
    case 'overview':
      page = <OverviewPage />;
      break;
    case 'members':
      page = <MembersPage initialQuery={route.query} />;
      break;
    case 'member':
      page = <MemberPage key={route.code} code={route.code} />;
      break;
    case 'login':
      page = <LoginPage token={route.token} />;
      break;
    case 'feature': {
      const feature = findFeature(route.id);
      page = feature ? <feature.Page rest={route.rest} query={route.query} /> : <NotFoundPage />;
      break;
    }
    default:
      page = <NotFoundPage />;
  }

  return (
    <I18nContext.Provider value={i18n}>
      <div className="app">
        <Header route={route} />
        <main className="main" id="main">
          {page}
        </main>
        <Footer />
      </div>
    </I18nContext.Provider>
  );
}
