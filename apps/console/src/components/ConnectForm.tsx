import { ConnectError } from '@fernhilfe/client';
import { parseCustomerId } from '@fernhilfe/protocol';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { describeConnectError } from '../i18n/describe';
import { useConsole } from '../state/context';
import { ConnectErrorText } from './ConnectErrorText';

export type ConnectProblem = ConnectError | 'id-format' | 'password-missing';

/** ID (spaces allowed) + one-time password -> session. */
export function ConnectForm() {
  const { t } = useTranslation();
  const controller = useConsole();
  const [id, setId] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ error: ConnectProblem; retryUntil?: number } | undefined>();
  const idField = useRef<HTMLInputElement>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    if (!parseCustomerId(id)) {
      idField.current?.focus();
      return setProblem({ error: 'id-format' });
    }
    if (!password.trim()) return setProblem({ error: 'password-missing' });
    setBusy(true);
    setProblem(undefined);
    try {
      await controller.connect(id, password.trim());
    } catch (err) {
      const error = err instanceof ConnectError ? err : new ConnectError('protocol');
      const wait = error.retryAfterMs ?? 0;
      setProblem(wait > 0 ? { error, retryUntil: Date.now() + wait } : { error });
      setBusy(false);
    }
  }

  let message: string | undefined;
  if (problem?.error === 'id-format') message = t('connect.idFormat');
  else if (problem?.error === 'password-missing') message = t('connect.passwordMissing');
  else if (problem) message = describeConnectError(t, problem.error);

  return (
    <form className="card connect" onSubmit={(e) => void submit(e)} noValidate>
      <h1>{t('connect.heading')}</h1>
      <p className="hint">{t('connect.intro')}</p>
      <div className="connect-fields">
        <label className="field field--id">
          <span>{t('connect.id')}</span>
          <input
            ref={idField}
            data-testid="connect-id"
            name="customer-id"
            inputMode="numeric"
            autoComplete="off"
            spellCheck={false}
            placeholder={t('connect.idPlaceholder')}
            maxLength={20}
            value={id}
            onChange={(e) => setId(e.target.value)}
            autoFocus
          />
        </label>
        <label className="field field--password">
          <span>{t('connect.password')}</span>
          {/* one-time and read out on the phone: shown as typed, never offered to a password manager */}
          <input
            data-testid="connect-password"
            name="customer-password"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            maxLength={40}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
      </div>
      {message && <ConnectErrorText message={message} retryUntil={problem?.retryUntil} />}
      <button type="submit" className="button button--primary" data-testid="connect-submit" disabled={busy}>
        {busy ? t('connect.busy') : t('connect.submit')}
      </button>
    </form>
  );
}
