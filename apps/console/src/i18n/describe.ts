import { ConnectError, type SessionEnd } from '@fernhilfe/client';
import { ApiError } from '@fernhilfe/protocol';
import type { TFunction } from 'i18next';

/** API error codes arrive as `totp-required` or `invalid_credentials`; compare them in one spelling. */
export function errorCode(err: unknown): string | undefined {
  return err instanceof ApiError ? err.code.replace(/_/g, '-') : undefined;
}

const isNetworkError = (err: unknown): boolean => err instanceof ConnectError || (err instanceof ApiError && err.reason !== 'http');

/** Why signing in failed, in plain words. */
export function describeLoginError(t: TFunction, err: unknown, totpGiven: boolean): string {
  if (isNetworkError(err)) return t('login.error.network');
  switch (errorCode(err)) {
    case 'invalid-credentials':
      return t('login.error.credentials');
    case 'local-accounts-off':
      return t('login.error.localAccountsOff');
    case 'totp-required':
      return t('login.error.totpMissing');
    case 'totp-invalid':
      return totpGiven ? t('login.error.totpInvalid') : t('login.error.totpMissing');
    case 'rate-limited': {
      const seconds = err instanceof ApiError ? err.retryAfterSeconds : undefined;
      return seconds ? t('login.error.rateLimited', { seconds: String(seconds) }) : t('login.error.rateLimitedSoon');
    }
    default:
      return t('login.error.other', { code: errorCode(err) ?? 'error' });
  }
}

/** Why a TOTP action failed, in plain words. */
export function describeTotpError(t: TFunction, err: unknown): string {
  if (isNetworkError(err)) return t('totp.error.network');
  if (err instanceof ApiError && err.status === 404) return t('totp.error.unavailable');
  const code = errorCode(err);
  switch (code) {
    case 'totp-invalid':
      return t('totp.error.invalid');
    case 'totp-already-enabled':
      return t('totp.error.alreadyOn');
    case 'totp-not-set-up':
      return t('totp.error.notSetUp');
    case 'totp-not-enabled':
      return t('totp.error.notOn');
    case 'rate-limited': {
      const seconds = err instanceof ApiError ? err.retryAfterSeconds : undefined;
      return seconds ? t('totp.error.rateLimited', { seconds: String(seconds) }) : t('login.error.rateLimitedSoon');
    }
    default:
      return t('totp.error.other', { code: code ?? 'error' });
  }
}

/** Why connecting failed (the countdown for `retryAfterMs` is shown next to it). */
export function describeConnectError(t: TFunction, err: ConnectError): string {
  return t(`connect.error.${err.reason}`);
}

const attackReasons = ['tampered', 'replayed', 'out-of-order', 'malformed', 'too-large', 'auth-failed', 'handshake-timeout', 'protocol-error'] as const;
type AttackReason = (typeof attackReasons)[number];
const isAttackReason = (r: string): r is AttackReason => (attackReasons as readonly string[]).includes(r);

/** Who ended the session and why, e.g. "The customer ended the session." */
export function describeEnd(t: TFunction, end: SessionEnd): string {
  switch (end.reason) {
    case 'ended-by-customer':
      return t('ended.byCustomer');
    case 'ended-by-technician':
      return end.by === 'local' ? t('ended.byYou') : t('ended.byTechnician');
    case 'peer-disconnected':
      return t('ended.lost');
    case 'connection-lost':
      return t('ended.lostForGood');
    case 'server-shutdown':
      return t('ended.shutdown');
    case 'server-node-lost':
      return t('ended.nodeLost');
    case 'relay-overloaded':
      return t('ended.overloaded');
    case 'ended-by-admin':
      return t('ended.byAdmin');
    case 'account-disabled':
      return t('ended.accountDisabled');
    case 'recording-refused':
      return t('recording.endedRefused');
  }
  if (isAttackReason(end.reason)) return t(`ended.reason.${end.reason}`, { who: t(`ended.who.${end.by}`) });
  return t('ended.unknown', { reason: end.reason });
}
