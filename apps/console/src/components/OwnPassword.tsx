import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { describe } from '../admin/use-load';

/** Any signed-in user: change the own password (the current one is required). */
export function OwnPassword() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<{ ok: boolean; text: string } | undefined>();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setStatus(undefined);
    try {
      await api.call('changePassword', { body: { oldPassword: String(data.get('old') ?? ''), newPassword: String(data.get('new') ?? '') } });
      form.reset();
      setStatus({ ok: true, text: t('accounts.own.done') });
    } catch (err) {
      const { code, message } = describe(err);
      setStatus({ ok: false, text: code === 'wrong_password' ? t('accounts.own.wrong_password') : t('records.common.error', { message }) });
    }
  };
  return (
    <form className="card records-card" onSubmit={(e) => void submit(e)} data-testid="own-password">
      <h2>{t('accounts.own.heading')}</h2>
      <label className="field"><span>{t('accounts.own.old')}</span><input name="old" type="password" autoComplete="current-password" required /></label>
      <label className="field"><span>{t('accounts.own.new')}</span><input name="new" type="password" autoComplete="new-password" required minLength={10} maxLength={256} /></label>
      <button type="submit" className="button button--primary">{t('accounts.own.submit')}</button>
      {status && <p className={`records-status records-status--${status.ok ? 'ok' : 'error'}`} role={status.ok ? 'status' : 'alert'}>{status.text}</p>}
    </form>
  );
}
