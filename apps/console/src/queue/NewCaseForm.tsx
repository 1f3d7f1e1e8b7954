import { caseLink, deriveCaseKeys, formatCaseCode, newCaseCredentials, type CaseCredentials } from '@fernhilfe/protocol';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { describe } from '../admin/use-load';
import { askForNotifications } from './arrival';
import { caseSecrets } from './case-secrets';

/**
 * "New case": the secret is made here (WebCrypto), kept in this browser, and only the join proof
 * (a slow-KDF output of it) goes to the server. Shows the customer's link and the code to read out.
 */
export function NewCaseForm({ onCreated }: { onCreated: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [made, setMade] = useState<CaseCredentials>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    void askForNotifications().catch(() => undefined);
    try {
      const creds = newCaseCredentials();
      const { joinProof } = await caseSecrets.keysFor(creds).catch(() => deriveCaseKeys(creds));
      await api.call('createCase', { body: { id: creds.caseId, customerName: name, note, joinProof } });
      caseSecrets.remember(creds);
      setMade(creds);
      setName('');
      setNote('');
      onCreated();
    } catch (err) {
      setError(describe(err).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card queue-new">
      <h2>{t('queue.newCase')}</h2>
      <form onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span>{t('queue.customerName')}</span>
          <input data-testid="case-customer-name" maxLength={120} required value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('queue.note')}</span>
          <input data-testid="case-note" maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
        </label>
        {error && <p className="records-status--error" role="alert">{t('queue.error', { message: error })}</p>}
        <button type="submit" className="button button--primary" data-testid="case-create" disabled={busy}>
          {t('queue.create')}
        </button>
      </form>
      {made && <CreatedCase creds={made} />}
    </section>
  );
}

function CreatedCase({ creds }: { creds: CaseCredentials }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const link = caseLink(location.origin, creds);
  const copy = () => void navigator.clipboard?.writeText(link).then(() => setCopied(true), () => undefined);
  return (
    <div className="queue-created" data-testid="case-created">
      <p>{t('queue.created', { id: creds.caseId })}</p>
      <label className="field">
        <span>{t('queue.link')}</span>
        <input readOnly data-testid="case-link" value={link} onFocus={(e) => e.target.select()} />
      </label>
      <button type="button" className="button button--small" data-testid="case-copy" onClick={copy}>
        {copied ? t('queue.copied') : t('queue.copy')}
      </button>
      <p>
        {t('queue.code')}: <strong className="queue-code" data-testid="case-code">{formatCaseCode(creds)}</strong>
      </p>
      <p className="queue-hint">{t('queue.codeHint')}</p>
    </div>
  );
}
