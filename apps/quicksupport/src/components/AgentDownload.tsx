import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchAgentOffer, groupHex, type AgentOffer } from '../agent-offer.js';
import '../styles/agent-download.css';

/**
 * The operator's signed QuickSupport program for remote control, with its size and fingerprint;
 * shown only when the server offers one (its signature verified there).
 */
export function AgentDownload() {
  const { t } = useTranslation();
  const [offer, setOffer] = useState<AgentOffer | null>(null);
  useEffect(() => {
    let live = true;
    void fetchAgentOffer().then((o) => live && setOffer(o));
    return () => {
      live = false;
    };
  }, []);
  if (!offer) return null;
  const megabytes = Math.max(1, Math.round(offer.size / 1_000_000));
  return (
    <section className="card agent-download" data-testid="agent-download" aria-labelledby="agent-download-heading">
      <h2 id="agent-download-heading">{t('agentDownload.heading')}</h2>
      <p>{t('agentDownload.intro')}</p>
      <p>
        <a className="button" href={offer.downloadUrl} download={offer.fileName} data-testid="agent-download-link">
          {t('agentDownload.link')}
        </a>{' '}
        <span data-testid="agent-download-size">{t('agentDownload.size', { mb: String(megabytes) })}</span>
      </p>
      <p className="agent-download-fingerprint">
        {t('agentDownload.fingerprint')}
        <code data-testid="agent-download-sha256">{groupHex(offer.sha256)}</code>
      </p>
      <p className="agent-download-fingerprint">
        {t('agentDownload.check', { keyId: offer.keyId })}{' '}
        <a href={offer.signatureUrl} download={`${offer.fileName}.sig`}>
          {t('agentDownload.signature')}
        </a>
      </p>
    </section>
  );
}
