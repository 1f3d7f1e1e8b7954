import type { CustomerFlowState } from '@fernhilfe/protocol';
import { useTranslation } from 'react-i18next';
import { useStore } from '../use-session.js';
import '../styles/consent.css';

/**
 * What the technician asks for and what the customer allowed (agent mode only): a big Allow and a
 * big Refuse for each request, and while control or the clipboard is granted, a button that is
 * always visible to take it back.
 */
export function ConsentPrompt({ state }: { state: CustomerFlowState }) {
  const { t } = useTranslation();
  const agent = useStore();
  const consent = state.consent;
  return (
    <>
      {consent.pending.map((what) => (
        <section key={what} className="card consent consent-ask" role="alertdialog" aria-labelledby={`consent-${what}`} data-testid={`consent-${what}`}>
          <p id={`consent-${what}`} className="consent-question">
            {what === 'control' ? t('agent.askControl') : t('agent.askClipboard')}
          </p>
          <div className="consent-buttons">
            <button type="button" className="button button-primary button-large" data-testid={`allow-${what}`} onClick={() => agent.decide(what, 'allow')}>
              {t('agent.allow')}
            </button>
            <button type="button" className="button button-large" data-testid={`refuse-${what}`} onClick={() => agent.decide(what, 'refuse')}>
              {t('agent.refuse')}
            </button>
          </div>
        </section>
      ))}
      {consent.granted.control && (
        <section className="card consent consent-granted" data-testid="control-granted" role="status">
          <p>{t('agent.controlOn')}</p>
          <button type="button" className="button button-danger button-large" data-testid="revoke-control" onClick={() => agent.decide('control', 'revoke')}>
            {t('agent.takeBack')}
          </button>
        </section>
      )}
      {consent.granted.clipboard && (
        <section className="card consent consent-granted" data-testid="clipboard-granted" role="status">
          <p>{t('agent.clipboardOn')}</p>
          <button type="button" className="button button-large" data-testid="revoke-clipboard" onClick={() => agent.decide('clipboard', 'revoke')}>
            {t('agent.stopClipboard')}
          </button>
        </section>
      )}
    </>
  );
}
