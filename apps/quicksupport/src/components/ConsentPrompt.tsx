import type { CustomerFlowState, GrantName } from '@fernhilfe/protocol';
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
            {t(askKey(what, consent.recordingRequired === true))}
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
      {consent.granted.recording && (
        <section className="card consent consent-granted" data-testid="recording-granted" role="status">
          <p>
            <span className="recording-mark" data-testid="recording-mark">
              ● {t('recording.mark')}
            </span>{' '}
            {t('recording.on')}
          </p>
          <button type="button" className="button button-danger button-large" data-testid="revoke-recording" onClick={() => agent.decide('recording', 'revoke')}>
            {t('recording.stop')}
          </button>
        </section>
      )}
    </>
  );
}

function askKey(what: GrantName, recordingRequired: boolean) {
  const keys = {
    control: 'agent.askControl',
    clipboard: 'agent.askClipboard',
    recording: recordingRequired ? 'recording.askRequired' : 'recording.ask',
  } as const satisfies Record<GrantName, string>;
  return keys[what];
}
