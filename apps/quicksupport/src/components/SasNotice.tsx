import { useTranslation } from 'react-i18next';

/** The short authentication string both screens show: the same number means nobody is in between. */
export function SasNotice({ sas }: { sas: string }) {
  const { t } = useTranslation();
  return (
    <section className="card sas-card" aria-labelledby="sas-heading">
      <h2 id="sas-heading">{t('sas.label')}</h2>
      <p className="sas" data-testid="sas">
        {sas}
      </p>
      <p>{t('sas.hint')}</p>
    </section>
  );
}
