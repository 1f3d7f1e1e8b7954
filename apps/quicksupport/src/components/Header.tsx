import { useTranslation } from 'react-i18next';
import { phoneHref } from '../branding.js';
import { useBranding } from '../use-session.js';
import { LanguageSelect } from './LanguageSelect.js';

export function Header() {
  const { t } = useTranslation();
  const { companyName, supportPhone } = useBranding();
  const tel = phoneHref(supportPhone);
  return (
    <header className="header">
      <div className="header-inner">
        <div className="brand">
          <span className="brand-name">{companyName}</span>
          {t('app.title') !== companyName && <span className="brand-product">{t('app.title')}</span>}
        </div>
        {supportPhone && (
          <div className="phone">
            <span>{t('header.phone')} </span>
            {tel ? <a href={tel}>{supportPhone}</a> : <span>{supportPhone}</span>}
          </div>
        )}
        <LanguageSelect />
      </div>
    </header>
  );
}
