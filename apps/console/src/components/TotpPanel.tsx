import type { TotpSetup } from '@fernhilfe/protocol';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { describeTotpError, errorCode } from '../i18n/describe';
import { useAppState, useConsole } from '../state/context';
import { QrCode } from './QrCode';

type Done = 'enabled' | 'disabled' | undefined;

/** Two-factor sign-in: enrol (QR code + key + first code) or turn it off (current code). */
export function TotpPanel() {
  const { t } = useTranslation();
  const controller = useConsole();
  const enabled = useAppState((s) => s.auth.status === 'signed-in' && s.auth.user.totpEnabled === true);
  const [setup, setSetup] = useState<TotpSetup | undefined>();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [missing, setMissing] = useState(false);
  const [done, setDone] = useState<Done>();

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(undefined);
    setMissing(false);
    try {
      await action();
    } catch (err) {
      setError(err ?? new Error('failed'));
      const code = errorCode(err);
      // the account changed elsewhere (another tab): show its real state
      if (code === 'totp-already-enabled' || code === 'totp-not-enabled') {
        setSetup(undefined);
        void controller.refreshUser();
      }
    } finally {
      setBusy(false);
    }
  }

  const start = () =>
    run(async () => {
      setDone(undefined);
      setCode('');
      setSetup(await controller.totpSetup());
    });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    if (!/^\d{6,8}$/.test(code.replace(/\s/g, ''))) {
      setError(undefined);
      return setMissing(true);
    }
    void run(async () => {
      try {
        if (enabled) await controller.totpDisable(code);
        else await controller.totpEnable(code);
      } finally {
        setCode('');
      }
      setDone(enabled ? 'disabled' : 'enabled');
      setSetup(undefined);
    });
  }

  const codeField = (
    <label className="field">
      <span>{t('totp.code')}</span>
      <input data-testid="totp-code" name="totp-code" inputMode="numeric" autoComplete="one-time-code" maxLength={8} value={code} onChange={(e) => setCode(e.target.value)} />
    </label>
  );

  return (
    <section className="card totp">
      <h2>{t('totp.heading')}</h2>
      {done && (
        <p className="success" data-testid="totp-status" role="status">
          {done === 'enabled' ? t('totp.enabled') : t('totp.disabled')}
        </p>
      )}
      {!enabled && !setup && (
        <>
          {!done && <p>{t('totp.off')}</p>}
          <button type="button" className="button" data-testid="totp-setup" disabled={busy} onClick={() => void start()}>
            {t('totp.setup')}
          </button>
        </>
      )}
      {!enabled && setup && (
        <form onSubmit={submit} noValidate>
          <p>{t('totp.scan')}</p>
          <QrCode text={setup.otpauthUri} alt={t('totp.qrAlt')} testId="totp-qr" />
          <p className="hint">{t('totp.manual')}</p>
          <p className="totp-secret" data-testid="totp-secret">
            {setup.secret}
          </p>
          <p>{t('totp.enterCode')}</p>
          {codeField}
          <div className="buttons">
            <button type="submit" className="button button--primary" data-testid="totp-enable" disabled={busy}>
              {busy ? t('totp.busy') : t('totp.enable')}
            </button>
            <button type="button" className="button button--quiet" onClick={() => (setSetup(undefined), setError(undefined), setMissing(false))}>
              {t('totp.cancel')}
            </button>
          </div>
        </form>
      )}
      {enabled && (
        <form onSubmit={submit} noValidate>
          {done !== 'enabled' && <p>{t('totp.on')}</p>}
          <p className="hint">{t('totp.disableIntro')}</p>
          {codeField}
          <button type="submit" className="button" data-testid="totp-disable" disabled={busy}>
            {busy ? t('totp.busy') : t('totp.disable')}
          </button>
        </form>
      )}
      {(error !== undefined || missing) && (
        <p className="error" data-testid="totp-error" role="alert">
          {missing ? t('totp.error.missing') : describeTotpError(t, error)}
        </p>
      )}
    </section>
  );
}
