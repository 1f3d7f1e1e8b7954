import { caseFromFragment, type CaseCredentials } from '@fernhilfe/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CaseCodeForm } from '../cases/CaseCodeForm.js';
import { CaseDescribe } from '../cases/CaseDescribe.js';
import { currentLanguage } from '../i18n/index.js';
import { useBranding, useSessionState, useStore } from '../use-session.js';
import { Markdown } from './Markdown.js';

/**
 * Loading the terms, reading them, and the one button that starts everything. With a support case
 * (the link's `#case=…` or a code typed by hand; docs/cases.md) the customer then says what is wrong.
 */
export function TermsStep() {
  const { t, i18n } = useTranslation();
  const store = useStore();
  const { phase, terms, termsOutdated, registerProblem } = useSessionState();
  const { companyName } = useBranding();
  const [supportCase, setSupportCase] = useState<CaseCredentials | undefined>(() => caseFromFragment(location.hash));
  const [describing, setDescribing] = useState(false);

  if (supportCase && (describing || phase === 'registering' || phase === 'register-failed')) return <CaseDescribe creds={supportCase} onCode={setSupportCase} />;

  if (phase === 'loading') return <p className="notice">{t('app.loading')}</p>;
  if (phase === 'load-failed' || !terms) {
    return (
      <section className="card">
        <p className="notice notice-problem" role="alert">
          {t('terms.loadFailed')}
        </p>
        <button type="button" className="button" onClick={() => void store.loadTerms()}>
          {t('terms.retry')}
        </button>
      </section>
    );
  }

  const registering = phase === 'registering';
  return (
    <section className="card terms">
      <h1>{t('terms.heading')}</h1>
      <p className="lead">{t('terms.intro', { company: companyName })}</p>
      {termsOutdated && (
        <p className="notice notice-warning" role="alert">
          {t('terms.outdated')}
        </p>
      )}
      {supportCase && (
        <p className="notice" data-testid="case-id">
          {t('supportCase.forCase', { id: supportCase.caseId })}
        </p>
      )}
      <Markdown source={terms.text[currentLanguage(i18n)]} testId="terms-text" />
      {/* the operator's recording policy, read before agreeing (docs/recording.md) */}
      {terms.recording && (
        <p className="notice notice-warning" data-testid="terms-recording">
          {t(terms.recording === 'required' ? 'recording.policyRequired' : 'recording.policy')}
        </p>
      )}
      {registering && (
        <p className="status" data-testid="status" role="status">
          {t('status.registering')}
        </p>
      )}
      {phase === 'register-failed' && (
        <p className="notice notice-problem" role="alert">
          {t(registerProblem === 'busy' ? 'register.busy' : 'register.failed')}
        </p>
      )}
      <button type="button" className="button button-primary button-large" data-testid="accept-terms" disabled={registering} onClick={() => (supportCase ? setDescribing(true) : void store.acceptTerms())}>
        {phase === 'register-failed' ? t('register.retry') : t('terms.accept')}
      </button>
      {!supportCase && <CaseCodeForm onCode={setSupportCase} />}
    </section>
  );
}
