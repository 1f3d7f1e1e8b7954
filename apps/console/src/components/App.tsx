import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { RoutedPage } from '../admin/RoutedPage';
import { applyBranding } from '../branding';
import { useAppState } from '../state/context';
import { Header } from './Header';
import { HomePage } from './HomePage';
import { LoginForm } from './LoginForm';
import { SessionView } from './SessionView';

/** Picks the screen: loading, sign-in, home (connect + account), or the running session. */
export function App() {
  const { t } = useTranslation();
  const auth = useAppState((s) => s.auth);
  const session = useAppState((s) => s.session);
  const branding = useAppState((s) => s.branding);

  useEffect(() => applyBranding(branding), [branding]);
  useEffect(() => {
    const company = branding?.companyName || 'Fernhilfe';
    document.title = `${company} – ${t('app.title')}`;
  }, [branding, t]);

  let page;
  if (auth.status === 'checking') page = <p className="loading">{t('app.loading')}</p>;
  else if (auth.status === 'signed-out') page = <LoginForm expired={auth.expired} />;
  else if (session) page = <SessionView live={session} />;
  else page = <RoutedPage home={<HomePage />} />;

  return (
    <div className={session ? 'app app--session' : 'app'}>
      <Header />
      <main className="app-main">{page}</main>
    </div>
  );
}
