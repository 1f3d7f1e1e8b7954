import './admin.css';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account, AccountLink } from '@fernhilfe/protocol';
import { api } from '../api';
import { useAppState } from '../state/context';
import { describe, useLoad } from './use-load';

type Notice = { kind: 'ok'; text: string; link?: string } | { kind: 'error'; text: string };

/** Admins: every account with role, two-factor, last sign-in and state; invite, role, disable/enable, resets. */
export function AccountsPage() {
  const { t, i18n } = useTranslation();
  const [list, reload] = useLoad(() => api.call('accounts'), []);
  const [notice, setNotice] = useState<Notice | undefined>();
  const me = useAppState((s) => (s.auth.status === 'signed-in' ? s.auth.user.id : undefined));
  const when = (ms: number | null) => (ms === null ? t('accounts.list.never') : new Date(ms).toLocaleString(i18n.language));

  const failed = (err: unknown) => {
    const { code, message } = describe(err);
    const known = t(`accounts.errors.${code}`, { defaultValue: '' });
    setNotice({ kind: 'error', text: known || t('records.common.error', { message }) });
  };
  const linkNotice = (link: AccountLink, purpose: 'invite' | 'reset') =>
    setNotice({ kind: 'ok', text: t(`accounts.link.${purpose}`, { login: link.account.login, until: when(link.expiresAt) }), link: link.url ?? `${location.origin}${link.path}` });
  const run = async (work: () => Promise<string | undefined>) => {
    setNotice(undefined);
    try {
      const text = await work();
      if (text) setNotice({ kind: 'ok', text });
    } catch (err) {
      failed(err);
    }
    reload();
  };
  const act = {
    role: (a: Account, role: Account['role']) => run(async () => {
      await api.call('setAccountRole', { params: { id: a.id }, body: { role } });
      return t('accounts.done.role', { login: a.login, role: t(`accounts.list.${role}`) });
    }),
    disable: (a: Account) => window.confirm(t('accounts.action.confirmDisable', { login: a.login })) && run(async () => {
      await api.call('disableAccount', { params: { id: a.id } });
      return t('accounts.done.disabled', { login: a.login });
    }),
    enable: (a: Account) => run(async () => {
      await api.call('enableAccount', { params: { id: a.id } });
      return t('accounts.done.enabled', { login: a.login });
    }),
    resetPassword: (a: Account) => run(async () => void linkNotice(await api.call('resetAccountPassword', { params: { id: a.id } }), 'reset')),
    resetTotp: (a: Account) => run(async () => {
      await api.call('resetAccountTotp', { params: { id: a.id } });
      return t('accounts.done.totp', { login: a.login });
    }),
  };

  if (list.status === 'failed') return <p className="card records-status--error" role="alert">{list.code === 'forbidden' ? t('records.common.forbidden') : t('records.common.error', { message: list.message })}</p>;
  if (list.status !== 'ready') return <p className="loading">{t('records.common.loading')}</p>;
  return (
    <div className="records-page" data-testid="accounts-page">
      <h1>{t('accounts.list.heading')}</h1>
      {notice && (
        <div className={`card records-status records-status--${notice.kind === 'ok' ? 'ok' : 'error'}`} role={notice.kind === 'ok' ? 'status' : 'alert'} data-testid="accounts-notice">
          <p>{notice.text}</p>
          {notice.kind === 'ok' && notice.link && <input className="account-link" readOnly value={notice.link} data-testid="account-link" onFocus={(e) => e.currentTarget.select()} />}
        </div>
      )}
      <div className="records-table-wrap card">
        <table className="records-table" data-testid="accounts-table">
          <thead>
            <tr>{(['login', 'name', 'role', 'totp', 'lastSignIn', 'state', 'actions'] as const).map((c) => <th key={c}>{t(`accounts.list.${c}`)}</th>)}</tr>
          </thead>
          <tbody>
            {list.value.accounts.map((a) => (
              <tr key={a.id} data-testid={`account-${a.login}`} data-state={a.disabledAt !== null ? 'disabled' : a.pending ? 'invited' : 'active'}>
                <td>{a.login}</td>
                <td>{a.displayName}</td>
                <td>{t(`accounts.list.${a.role}`)}</td>
                <td>{t(a.totpEnabled ? 'accounts.list.on' : 'accounts.list.off')}</td>
                <td>{when(a.lastSignInAt)}</td>
                <td>{t(a.disabledAt !== null ? 'accounts.list.disabled' : a.pending ? 'accounts.list.invited' : 'accounts.list.active')}</td>
                <td className="account-actions">
                  <button type="button" className="button" data-testid="account-role" onClick={() => void act.role(a, a.role === 'admin' ? 'technician' : 'admin')}>{t(a.role === 'admin' ? 'accounts.action.makeTechnician' : 'accounts.action.makeAdmin')}</button>
                  {a.disabledAt === null
                    ? a.id !== me && <button type="button" className="button" data-testid="account-disable" onClick={() => void act.disable(a)}>{t('accounts.action.disable')}</button>
                    : <button type="button" className="button" data-testid="account-enable" onClick={() => void act.enable(a)}>{t('accounts.action.enable')}</button>}
                  <button type="button" className="button" data-testid="account-reset-password" onClick={() => void act.resetPassword(a)}>{t('accounts.action.resetPassword')}</button>
                  {a.totpEnabled && <button type="button" className="button" data-testid="account-reset-2fa" onClick={() => void act.resetTotp(a)}>{t('accounts.action.resetTotp')}</button>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="records-grid">
        <InviteForm onInvited={(link) => { linkNotice(link, 'invite'); reload(); }} onFailed={failed} />
      </div>
    </div>
  );
}

function InviteForm({ onInvited, onFailed }: { onInvited: (link: AccountLink) => void; onFailed: (err: unknown) => void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const field = (name: string) => String(data.get(name) ?? '');
    setBusy(true);
    try {
      onInvited(await api.call('inviteAccount', { body: { login: field('login'), displayName: field('displayName'), company: field('company'), role: field('role') === 'admin' ? 'admin' : 'technician' } }));
      form.reset();
    } catch (err) {
      onFailed(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card records-card" onSubmit={(e) => void submit(e)} data-testid="invite-form">
      <h2>{t('accounts.invite.heading')}</h2>
      <label className="field"><span>{t('accounts.invite.login')}</span><input name="login" required minLength={3} maxLength={64} data-testid="invite-login" /></label>
      <label className="field"><span>{t('accounts.invite.displayName')}</span><input name="displayName" required maxLength={100} data-testid="invite-name" /></label>
      <label className="field"><span>{t('accounts.invite.company')}</span><input name="company" maxLength={100} /></label>
      <label className="field"><span>{t('accounts.invite.role')}</span>
        <select name="role" defaultValue="technician" data-testid="invite-role">
          <option value="technician">{t('accounts.list.technician')}</option>
          <option value="admin">{t('accounts.list.admin')}</option>
        </select>
      </label>
      <button type="submit" className="button button--primary" disabled={busy} data-testid="invite-submit">{t('accounts.invite.submit')}</button>
    </form>
  );
}
