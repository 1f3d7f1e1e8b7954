import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../i18n/index.js';
import type { CustomerFlowState } from '@fernhilfe/protocol';
import { isAgentMode } from '../agent/mode.js';
import { ReceiptLink } from './ReceiptLink.js';

/** What happened, after the end: who, when, what was shared, and why it ended. */
export function Summary({ state }: { state: CustomerFlowState }) {
  const { t, i18n } = useTranslation();
  const time = new Intl.DateTimeFormat(currentLanguage(i18n) === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'medium', timeStyle: 'medium' });
  const who = state.connectedTechnician;
  const start = state.connectedAt ?? state.registeredAt;
  return (
    <section className="card summary" data-testid="summary" aria-labelledby="summary-heading">
      <h1 id="summary-heading">{t('summary.heading')}</h1>
      <p className="summary-reason" data-testid="summary-reason" data-reason={state.endKey}>
        {state.endKey ? t(`reason.${state.endKey}`) : ''}
      </p>
      <dl className="summary-facts">
        <dt>{t('summary.who')}</dt>
        <dd data-testid="summary-technician">
          {who ? (who.company ? t('summary.whoWithCompany', { name: who.displayName, company: who.company }) : who.displayName) : t('summary.nobody')}
        </dd>
        {start !== undefined && (
          <>
            <dt>{t('summary.from')}</dt>
            <dd>{time.format(start)}</dd>
          </>
        )}
        {state.endedAt !== undefined && (
          <>
            <dt>{t('summary.to')}</dt>
            <dd>{time.format(state.endedAt)}</dd>
          </>
        )}
        <dt>{t('summary.screen')}</dt>
        <dd data-testid="summary-screen">{state.everShared ? t('summary.yes') : t('summary.no')}</dd>
        <dt>{t('summary.chat')}</dt>
        <dd data-testid="summary-chat">{state.chat.length}</dd>
      </dl>
      <p>{t('summary.wiped')}</p>
      <ReceiptLink token={state.receiptToken} url={state.receiptUrl} />
      {/* the native agent exits after its one session: a new session means starting the program again */}
      {!isAgentMode() && (
        <button type="button" className="button button-primary button-large" data-testid="new-session" onClick={() => location.reload()}>
          {t('summary.again')}
        </button>
      )}
    </section>
  );
}
