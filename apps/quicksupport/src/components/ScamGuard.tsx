import { useTranslation } from 'react-i18next';
import { websiteHost } from '../branding.js';
import { useBranding } from '../use-session.js';

/** Who runs this page, and the one rule that stops phone scammers. */
export function ScamGuard() {
  const { t } = useTranslation();
  const { companyName, website } = useBranding();
  const site = websiteHost(website) ?? location.host;
  return (
    <section className="card scam-guard" data-testid="scam-guard" aria-labelledby="scam-guard-heading">
      <h2 id="scam-guard-heading">{t('scamGuard.heading')}</h2>
      <p>{t('scamGuard.operator', { company: companyName, site })}</p>
      <p className="scam-guard-rule">{t('scamGuard.warning')}</p>
    </section>
  );
}
