import { SSO_ERROR_PARAM, SSO_START_PATH, type SignInOptions } from '@fernhilfe/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useConsole } from '../state/context';

/** Passwords only, when the server cannot say (an older server, or no network yet). */
const PASSWORDS_ONLY: SignInOptions = { sso: null, localAccounts: true };
const SSO_REASONS = ['not-configured', 'provider-unavailable', 'too-many', 'state-invalid', 'provider-refused', 'token-invalid', 'no-role', 'account-disabled'] as const;
type SsoReason = (typeof SSO_REASONS)[number];

/** The sign-in options of this server; undefined while they load. */
export function useSignInOptions(): SignInOptions | undefined {
  const controller = useConsole();
  const [options, setOptions] = useState<SignInOptions>();
  useEffect(() => {
    let live = true;
    controller.signInOptions().then(
      (o) => live && setOptions(o),
      () => live && setOptions(PASSWORDS_ONLY),
    );
    return () => {
      live = false;
    };
  }, [controller]);
  return options;
}

/**
 * Why the last single sign-on was refused: the server sends the browser to /console/?sso-error=<reason>.
 * Read once, then taken out of the address so a reload does not show it again.
 */
export function useSsoError(): SsoReason | 'other' | undefined {
  const [reason] = useState<SsoReason | 'other' | undefined>(() => {
    const value = new URLSearchParams(location.search).get(SSO_ERROR_PARAM);
    if (value === null) return undefined;
    return (SSO_REASONS as readonly string[]).includes(value) ? (value as SsoReason) : 'other';
  });
  useEffect(() => {
    if (reason !== undefined) history.replaceState(null, '', location.pathname + location.hash);
  }, [reason]);
  return reason;
}

/** "Sign in with <provider>": a plain link to the server, which sends the browser on to the provider. */
export function SsoSignIn({ providerName }: { providerName: string }) {
  const { t } = useTranslation();
  return (
    <a className="button button--primary sso-button" href={SSO_START_PATH} data-testid="sso-signin">
      {t('login.sso.button', { provider: providerName })}
    </a>
  );
}

/** Why the provider's sign-in did not let the person in, in plain words. */
export function SsoError({ reason }: { reason: SsoReason | 'other' }) {
  const { t } = useTranslation();
  return (
    <p className="error" data-testid="sso-error" role="alert">
      {t(`login.sso.error.${reason}`)}
    </p>
  );
}
