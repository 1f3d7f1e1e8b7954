import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { describeLoginError, errorCode } from '../i18n/describe';
import { useConsole } from '../state/context';
import { SsoError, SsoSignIn, useSignInOptions, useSsoError } from './SsoSignIn';

/**
 * Sign-in: the single sign-on button when the server has one, and the password form unless the
 * server switched passwords off; asks for the TOTP code when the server says the account needs one.
 */
export function LoginForm({ expired }: { expired: boolean }) {
  const { t } = useTranslation();
  const options = useSignInOptions();
  const ssoError = useSsoError();
  return (
    <div className="card login">
      <h1>{t('login.heading')}</h1>
      {expired && (
        <p className="notice" data-testid="login-notice" role="status">
          {t('login.expired')}
        </p>
      )}
      {ssoError && <SsoError reason={ssoError} />}
      {options?.sso && <SsoSignIn providerName={options.sso.providerName} />}
      {options?.sso && options.localAccounts && <p className="login__or">{t('login.sso.or')}</p>}
      {options?.localAccounts && <PasswordForm />}
    </div>
  );
}

/** Login name and password (and the TOTP code when the account needs one). */
function PasswordForm() {
  const { t } = useTranslation();
  const controller = useConsole();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needTotp, setNeedTotp] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<{ error: unknown; totpGiven: boolean } | undefined>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setFailure(undefined);
    const code = needTotp ? totp.trim() : undefined;
    try {
      await controller.login(login.trim(), password, code);
    } catch (error) {
      const reason = errorCode(error);
      if ((reason === 'totp-required' || reason === 'totp-invalid') && !needTotp) {
        setNeedTotp(true); // first time: ask for the code, no error yet
      } else {
        if (reason === 'totp-invalid') setTotp('');
        setFailure({ error, totpGiven: Boolean(code) });
      }
      setBusy(false);
    }
  }

  return (
    <form className="login-form" onSubmit={(e) => void submit(e)} noValidate>
      <label className="field">
        <span>{t('login.user')}</span>
        <input data-testid="login-user" name="username" autoComplete="username" autoCapitalize="none" spellCheck={false} required value={login} onChange={(e) => setLogin(e.target.value)} autoFocus />
      </label>
      <label className="field">
        <span>{t('login.password')}</span>
        <input data-testid="login-password" name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      {needTotp && (
        <>
          <p className="hint">{t('login.totpHint')}</p>
          <label className="field">
            <span>{t('login.totp')}</span>
            <input data-testid="login-totp" name="totp" inputMode="numeric" autoComplete="one-time-code" maxLength={8} required value={totp} onChange={(e) => setTotp(e.target.value)} autoFocus />
          </label>
        </>
      )}
      {failure && (
        <p className="error" data-testid="login-error" role="alert">
          {describeLoginError(t, failure.error, failure.totpGiven)}
        </p>
      )}
      <button type="submit" className="button button--primary" data-testid="login-submit" disabled={busy}>
        {busy ? t('login.busy') : t('login.submit')}
      </button>
    </form>
  );
}
