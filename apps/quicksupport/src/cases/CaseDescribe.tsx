import { MAX_CASE_DESCRIPTION, type CaseCredentials } from '@fernhilfe/protocol';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSessionState, useStore } from '../use-session.js';
import { CaseCodeForm } from './CaseCodeForm.js';

/** After the terms, in a case: what is wrong (sealed under the case secret), then register and wait. */
export function CaseDescribe({ creds, onCode }: { creds: CaseCredentials; onCode: (creds: CaseCredentials) => void }) {
  const { t } = useTranslation();
  const store = useStore();
  const { phase, registerProblem } = useSessionState();
  const [text, setText] = useState('');
  const registering = phase === 'registering';
  const refused = phase === 'register-failed' && registerProblem === 'case-refused';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void store.acceptTerms({ credentials: creds, description: text.trim() });
  };
  return (
    <section className="card case-describe">
      <h1>{t('supportCase.describeHeading')}</h1>
      <p className="lead" data-testid="case-id">
        {t('supportCase.forCase', { id: creds.caseId })}
      </p>
      <form onSubmit={submit}>
        <label htmlFor="case-description">{t('supportCase.describeLabel')}</label>
        <textarea id="case-description" data-testid="case-description" rows={5} maxLength={MAX_CASE_DESCRIPTION} value={text} onChange={(e) => setText(e.target.value)} />
        <p className="hint">{t('supportCase.describeHint')}</p>
        {registering && (
          <p className="status" data-testid="status" role="status">
            {t('status.registering')}
          </p>
        )}
        {refused && (
          <p className="notice notice-problem" role="alert" data-testid="case-refused">
            {t('supportCase.refused')}
          </p>
        )}
        {phase === 'register-failed' && !refused && (
          <p className="notice notice-problem" role="alert">
            {t(registerProblem === 'busy' ? 'register.busy' : 'register.failed')}
          </p>
        )}
        <button type="submit" className="button button-primary button-large" data-testid="send-description" disabled={registering}>
          {t('supportCase.send')}
        </button>
      </form>
      {refused && <CaseCodeForm onCode={onCode} open />}
    </section>
  );
}
