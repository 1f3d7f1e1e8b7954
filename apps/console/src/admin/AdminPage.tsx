import './admin.css';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { AuditPanel } from './AuditPanel';
import { BrandingSettings } from './BrandingSettings';
import { LogoSettings } from './LogoSettings';
import { ProgramsSettings } from './ProgramsSettings';
import { TermsSettings } from './TermsSettings';
import { useLoad } from './use-load';

/** Settings for admins: branding, logo, terms, the QuickSupport programs, and the audit log. The server refuses all of it to others. */
export function AdminPage() {
  const { t } = useTranslation();
  const [branding] = useLoad(() => api.call('branding'), []);
  const [terms, reloadTerms] = useLoad(() => api.call('adminTerms'), []);

  if (terms.status === 'failed') {
    return <p className="card records-status--error" role="alert" data-testid="settings-error">{terms.code === 'forbidden' ? t('records.common.forbidden') : t('records.common.error', { message: terms.message })}</p>;
  }
  if (branding.status !== 'ready' || terms.status !== 'ready') return <p className="loading">{t('records.common.loading')}</p>;
  return (
    <div className="records-page" data-testid="settings-page">
      <h1>{t('records.nav.settings')}</h1>
      <div className="records-grid">
        <BrandingSettings initial={branding.value} />
        <LogoSettings />
        <TermsSettings initial={terms.value} onSaved={reloadTerms} />
        <ProgramsSettings />
        <AuditPanel />
      </div>
    </div>
  );
}
