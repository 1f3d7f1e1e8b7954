import { useTranslation } from 'react-i18next';
import { HeaderLogo, RecordsNav } from '../admin/RecordsNav';
import { useAppState, useConsole } from '../state/context';
import { LanguageSelect } from './LanguageSelect';

export function Header() {
  const { t } = useTranslation();
  const controller = useConsole();
  const auth = useAppState((s) => s.auth);
  const company = useAppState((s) => s.branding?.companyName) || 'Fernhilfe';

  return (
    <header className="header">
      <div className="header-brand">
        <HeaderLogo />
        <span className="header-company">{company}</span>
        <span className="header-title">{t('app.title')}</span>
      </div>
      <RecordsNav />
      <div className="header-tools">
        <LanguageSelect />
        {auth.status === 'signed-in' && (
          <>
            <span className="header-user">{t('header.signedInAs', { name: auth.user.displayName || auth.user.login })}</span>
            <button type="button" className="button button--quiet" data-testid="logout" onClick={() => void controller.logout()}>
              {t('header.logout')}
            </button>
          </>
        )}
      </div>
    </header>
  );
}
