import { useCallback, useEffect, useMemo, useState } from 'react';
import { I18nContext, loadLang, makeI18n, saveLang, type Lang } from './i18n';
import { useRoute } from './nav';
import { ExerciseBanner } from './pages/exercises/ExerciseBanner';
import { currentNav, NAV_LINKS, renderRoute } from './routes';
import { restoreSession } from './session';
import { Footer } from './ui/Footer';
import { Header } from './ui/Header';

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

  return (
    <I18nContext.Provider value={i18n}>
      <div className="app">
        <Header links={NAV_LINKS} current={currentNav(route)} />
        <ExerciseBanner route={route} />
        <main className="main" id="main" tabIndex={-1}>
          {renderRoute(route)}
        </main>
        <Footer />
      </div>
    </I18nContext.Provider>
  );
}
