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
  | 'setup_token_invalid'
  | 'already_set_up';

/** An account or authentication failure whose message can be shown to the user as it is. */
export class AuthError extends Error {
  override readonly name = 'AuthError';

  private constructor(
    readonly reason: AuthErrorReason,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
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
      retryAfterSeconds,
    );
  }
  static setupTokenInvalid(): AuthError {
    return new AuthError('setup_token_invalid', 'The setup token is wrong, expired or already used.');
  }
  static alreadySetUp(): AuthError {
    return new AuthError('already_set_up', 'This server already has an administrator. Sign in instead.');
  }
}
