import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchAgentOffers, forVisitor, groupHex, visitorOs, type AgentOffer } from '../agent-offer.js';
import '../styles/agent-download.css';

/**
 * The operator's signed QuickSupport programs for remote control, with size, fingerprint and
 * signer; the build for the visitor's OS first, the others below. Shown only when the server
 * offers at least one (its signature verified there).
 */
export function AgentDownload() {
  const { t } = useTranslation();
  const [offers, setOffers] = useState<AgentOffer[]>([]);
  useEffect(() => {
    let live = true;
    void fetchAgentOffers().then((o) => live && setOffers(o));
    return () => {
      live = false;
    };
  }, []);
  if (offers.length === 0) return null;
  const os = visitorOs(navigator as Navigator & { userAgentData?: { platform?: string } });
  const { mine, others } = forVisitor(offers, os);
  return (
    <section className="card agent-download" data-testid="agent-download" data-os={os} aria-labelledby="agent-download-heading">
      <h2 id="agent-download-heading">{t('agentDownload.heading')}</h2>
      <p>{t('agentDownload.intro')}</p>
      {mine ? (
        <Offer offer={mine} testId="agent-download" />
      ) : (
        <p data-testid="agent-download-not-for-you">{os === 'mac' ? t('agentDownload.noMac') : t('agentDownload.noneForYou')}</p>
      )}
      {others.length > 0 && (
        <>
          <h3>{mine ? t('agentDownload.others') : t('agentDownload.available')}</h3>
          <ul className="agent-download-others">
            {others.map((o) => (
              <li key={o.platform} data-testid="agent-download-other" data-platform={o.platform}>
                <Offer offer={o} testId="agent-download-other" />
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** One build: the link, its size, its SHA-256 and who signed it. */
function Offer({ offer, testId }: { offer: AgentOffer; testId: string }) {
  const { t } = useTranslation();
  const megabytes = Math.max(1, Math.round(offer.size / 1_000_000));
  const osName = offer.os === 'windows' ? 'Windows' : 'Linux';
  return (
    <>
      <p>
        <a className={testId === 'agent-download' ? 'button' : undefined} href={offer.downloadUrl} download={offer.fileName} data-testid={`${testId}-link`}>
          {t('agentDownload.link', { os: osName })}
        </a>{' '}
        <span data-testid={`${testId}-size`}>{t('agentDownload.size', { mb: String(megabytes) })}</span>
      </p>
      <p className="agent-download-fingerprint">
        {t('agentDownload.fingerprint')}
        <code data-testid={`${testId}-sha256`}>{groupHex(offer.sha256)}</code>
      </p>
      <p className="agent-download-fingerprint" data-testid={`${testId}-signer`}>
        {t('agentDownload.check', { keyId: offer.keyId })}{' '}
        <a href={offer.signatureUrl} download={`${offer.fileName}.sig`}>
          {t('agentDownload.signature')}
        </a>
      </p>
    </>
  );
}
