import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { phoneHref } from '../branding.js';
import { useBranding } from '../use-session.js';
import { LanguageSelect } from './LanguageSelect.js';

export function Header() {
  const { t } = useTranslation();
  const { companyName, supportPhone } = useBranding();
  const tel = phoneHref(supportPhone);
  // the operator's logo (PNG or sanitised SVG, served as an image only); hidden when there is none
  const [logo, setLogo] = useState(true);
  return (
    <header className="header">
      <div className="header-inner">
        <div className="brand">
          {logo && <img className="brand-logo" src="/branding/logo" alt="" data-testid="brand-logo" onError={() => setLogo(false)} />}
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
