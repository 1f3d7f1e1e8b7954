import { MAX_FAILED_ATTEMPTS, type CustomerFlowState } from '@fernhilfe/protocol';
import { useTranslation } from 'react-i18next';
import { Sentence, placeholders } from './Sentence.js';

/** Where things stand, in one sentence, plus any wrong-password attempts. */
export function StatusPanel({ state }: { state: CustomerFlowState }) {
  return (
    <section className="card status-card">
      <p className={`status status-${state.phase}`} data-testid="status" role="status" aria-live="polite">
        <StatusText state={state} />
      </p>
      <Attempts state={state} />
    </section>
  );
}

function StatusText({ state }: { state: CustomerFlowState }) {
  const { t } = useTranslation();
  const who = state.technician;
  if ((state.phase === 'pairing' || state.phase === 'active') && who) {
    const hasCompany = who.company.trim() !== '';
    const key =
      state.phase === 'pairing' ? (hasCompany ? 'status.pairing' : 'status.pairingNoCompany') : hasCompany ? 'status.active' : 'status.activeNoCompany';
    return (
      <Sentence
        template={t(key, placeholders('name', 'company'))}
        slots={{
          name: (
            <strong className="technician-name" data-testid="technician-name">
              {who.displayName}
            </strong>
          ),
          company: <strong>{who.company}</strong>,
        }}
      />
    );
  }
  return <>{t(state.case ? 'supportCase.status' : 'status.waiting')}</>;
}

function Attempts({ state }: { state: CustomerFlowState }) {
  const { t } = useTranslation();
  if (state.failures === 0 || state.phase === 'active') return null;
  return (
    <>
      {state.attemptsInRound > 0 && (
        <p className="notice notice-warning" data-testid="attempts" role="alert">
          {t('status.attempts', { n: String(state.attemptsInRound), max: String(MAX_FAILED_ATTEMPTS) })}
        </p>
      )}
      {state.rotated && (
        <p className="notice notice-problem" data-testid="password-rotated" role="alert">
          {t('status.rotated', { max: String(MAX_FAILED_ATTEMPTS) })}
        </p>
      )}
    </>
  );
}
