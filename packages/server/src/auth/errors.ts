import { FernhilfeError } from '@fernhilfe/protocol';

export type AuthErrorReason =
  | 'invalid_request'
  | 'invalid_login_name'
  | 'password_policy'
  | 'invalid_profile'
  | 'login_taken'
  | 'invalid_credentials'
  | 'not_authenticated'
  | 'csrf_failed'
  | 'origin_mismatch'
  | 'rate_limited'
  | 'busy'
  | 'setup_token_invalid'
  | 'already_set_up'
  | 'forbidden'
  | 'local_accounts_off'
  // account administration (account-admin.ts)
  | 'not_found'
  | 'last_admin'
  | 'link_invalid'
  | 'self_change'
  | 'wrong_password'
  // The two-factor codes are spelled with hyphens: that is how the console's API contract names them.
  | 'totp-required'
  | 'totp-invalid'
  | 'totp-already-enabled'
  | 'totp-not-set-up'
  | 'totp-not-enabled';

/** An account or authentication failure whose message can be shown to the user as it is. */
export class AuthError extends FernhilfeError<AuthErrorReason> {
  override readonly name = 'AuthError';

  readonly retryAfterSeconds?: number;
  /** Overrides the reason's usual HTTP status. */
  readonly status?: number;

  private constructor(reason: AuthErrorReason, message: string, extra: { retryAfterSeconds?: number; status?: number } = {}) {
    super(reason, message);
    if (extra.retryAfterSeconds !== undefined) this.retryAfterSeconds = extra.retryAfterSeconds;
    if (extra.status !== undefined) this.status = extra.status;
  }

  static invalidRequest(detail: string): AuthError {
    return new AuthError('invalid_request', `The request is not valid: ${detail}`);
  }
  static invalidLoginName(): AuthError {
    return new AuthError(
      'invalid_login_name',
      'The login name must be 3 to 64 characters: letters a-z, digits, dot, underscore or hyphen.',
    );
  }
  static passwordPolicy(min: number, max: number): AuthError {
    return new AuthError('password_policy', `The password must be ${min} to ${max} characters long.`);
  }
  /** `rule` completes "The ...", e.g. "display name must be 1 to 100 characters long". */
  static invalidProfile(rule: string): AuthError {
    return new AuthError('invalid_profile', `The ${rule}.`);
  }
  static loginTaken(): AuthError {
    return new AuthError('login_taken', 'This login name is already taken.');
  }
  static invalidCredentials(): AuthError {
    return new AuthError('invalid_credentials', 'The login name or password is wrong.');
  }
  static notAuthenticated(): AuthError {
    return new AuthError('not_authenticated', 'Please sign in first.');
  }
  static csrfFailed(): AuthError {
    return new AuthError('csrf_failed', 'The request was rejected because its security token is missing or wrong. Reload the page and try again.');
  }
  static originMismatch(): AuthError {
    return new AuthError('origin_mismatch', 'The request came from another website and was rejected.');
  }
  static rateLimited(retryAfterSeconds: number): AuthError {
    return new AuthError(
      'rate_limited',
      `Too many failed sign-in attempts. Try again in ${retryAfterSeconds} seconds.`,
      { retryAfterSeconds },
    );
  }
  static busy(): AuthError {
    return new AuthError('busy', 'The server is busy. Please try again in a few seconds.', { retryAfterSeconds: 2 });
  }
  static setupTokenInvalid(): AuthError {
    return new AuthError('setup_token_invalid', 'The setup token is wrong, expired or already used.');
  }
  static alreadySetUp(): AuthError {
    return new AuthError('already_set_up', 'This server already has an administrator. Sign in instead.');
  }
  static forbidden(): AuthError {
    return new AuthError('forbidden', 'Only an administrator may do this.');
  }
  static localAccountsOff(): AuthError {
    return new AuthError('local_accounts_off', 'Signing in with a password is switched off on this server. Use single sign-on.');
  }
  static accountNotFound(): AuthError {
    return new AuthError('not_found', 'There is no such account.');
  }
  /** The change would leave no enabled administrator who can sign in. */
  static lastAdmin(change: 'disable' | 'demote'): AuthError {
    const what = change === 'disable' ? 'disabled' : 'made a technician';
    return new AuthError('last_admin', `This is the last active administrator; it cannot be ${what}. Make another account an administrator first.`);
  }
  /** A signed-in user's "current password" was wrong (400: the session itself is fine). */
  static wrongPassword(): AuthError {
    return new AuthError('wrong_password', 'The current password is wrong.');
  }
  static linkInvalid(): AuthError {
    return new AuthError('link_invalid', 'This link is wrong, expired or was already used. Ask an administrator for a new one.');
  }
  /** An admin may not disable their own account (they would lock themselves out mid-request). */
  static selfChange(): AuthError {
    return new AuthError('self_change', 'You cannot disable your own account. Ask another administrator.');
  }
  static totpRequired(): AuthError {
    return new AuthError('totp-required', 'Enter the 6-digit code from your authenticator app.');
  }
  /** 401 while signing in (no session yet), 400 when a signed-in user changes two-factor sign-in. */
  static totpInvalid(during: 'sign-in' | 'change'): AuthError {
    const message = 'The code is wrong, expired or was already used. Wait for the next code and try again.';
    return new AuthError('totp-invalid', message, during === 'sign-in' ? { status: 401 } : {});
  }
  static totpAlreadyEnabled(): AuthError {
    return new AuthError('totp-already-enabled', 'Two-factor sign-in is already switched on. Switch it off first.');
  }
  static totpNotSetUp(): AuthError {
    return new AuthError('totp-not-set-up', 'Start the two-factor set-up first.');
  }
  static totpNotEnabled(): AuthError {
    return new AuthError('totp-not-enabled', 'Two-factor sign-in is not switched on.');
  }
}
