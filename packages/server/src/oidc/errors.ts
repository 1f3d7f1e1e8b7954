import { FernhilfeError } from '@fernhilfe/protocol';

/**
 * Why a single sign-on was refused. The callback sends the browser back to the console with the
 * reason (`/console/?sso-error=<reason>`), which says it in plain words in German or English.
 */
export type OidcFailure =
  /** single sign-on is not configured on this server */
  | 'not-configured'
  /** the provider cannot be reached or its discovery document is unusable */
  | 'provider-unavailable'
  /** this address started more sign-ins in the last minute than allowed */
  | 'too-many'
  /** the callback's state is unknown, used, expired, or from another browser */
  | 'state-invalid'
  /** the provider said no (the person cancelled, or an error) */
  | 'provider-refused'
  /** the tokens did not check out: signature, issuer, audience, nonce, expiry, PKCE */
  | 'token-invalid'
  /** the role claim names neither an admin nor a technician value */
  | 'no-role'
  /** the matching account is disabled */
  | 'account-disabled';

export class OidcError extends FernhilfeError<OidcFailure> {
  override readonly name = 'OidcError';

  static notConfigured(): OidcError {
    return new OidcError('not-configured', 'Single sign-on is not set up on this server.');
  }
  static providerUnavailable(detail: string, cause?: unknown): OidcError {
    return new OidcError('provider-unavailable', `The sign-in provider cannot be reached: ${detail}`, cause === undefined ? {} : { cause });
  }
  static tooMany(retryAfterMs: number): OidcError {
    return new OidcError('too-many', `Too many sign-ins started from this address; try again in ${Math.ceil(retryAfterMs / 1000)} s.`);
  }
  static stateInvalid(): OidcError {
    return new OidcError('state-invalid', 'This sign-in link was already used, has expired or was started in another browser. Please sign in again.');
  }
  static providerRefused(detail: string): OidcError {
    return new OidcError('provider-refused', `The sign-in provider refused the sign-in: ${detail}`);
  }
  static tokenInvalid(detail: string, cause?: unknown): OidcError {
    return new OidcError('token-invalid', `The sign-in provider's answer did not check out: ${detail}`, cause === undefined ? {} : { cause });
  }
  static noRole(claim: string): OidcError {
    return new OidcError('no-role', `Your account at the sign-in provider has no role for this server (claim "${claim}"). Ask your administrator.`);
  }
  static accountDisabled(): OidcError {
    return new OidcError('account-disabled', 'This account is disabled. Ask your administrator.');
  }
}
