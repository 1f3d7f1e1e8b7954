import { useTranslation } from 'react-i18next';

/** The short authentication string: both screens show the same digits only if nobody is in between. */
export function SasBadge({ sas }: { sas: string }) {
  const { t } = useTranslation();
  return (
    <div className="sas-badge">
      <div className="sas-main">
        <span className="sas-label">{t('session.sasLabel')}</span>
        <strong className="sas-code" data-testid="sas">
          {sas}
        </strong>
      </div>
      <span className="sas-hint">{t('session.sasHint')}</span>
    </div>
  );
}
