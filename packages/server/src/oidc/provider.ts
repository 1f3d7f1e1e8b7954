import * as client from 'openid-client';
import type { Logger } from 'pino';
import type { Claims } from './claims.js';
import type { OidcConfig } from './config.js';
import { OidcError } from './errors.js';

/** What the provider said about the person, after every check openid-client makes. */
export interface VerifiedSignIn {
  issuer: string;
  subject: string;
  /** the ID token's claims, with the userinfo endpoint's added where the ID token lacks them */
  claims: Claims;
}

/**
 * The relying party (openid-client): discovery, the authorization URL with PKCE (S256), state and
 * nonce, and the code exchange, which checks the ID token's signature (the provider's JWKS), issuer,
 * audience, nonce and expiry. Discovery happens at the first sign-in and is kept once it worked, so
 * the server starts while the provider is down and picks it up when it is back.
 */
export class OidcProvider {
  #config: Promise<client.Configuration> | undefined;

  constructor(
    private readonly settings: OidcConfig,
    private readonly log: Logger,
  ) {}

  async authorizationUrl(p: { state: string; nonce: string; codeVerifier: string }): Promise<URL> {
    const config = await this.#discover();
    return client.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUri,
      scope: this.settings.scopes,
      state: p.state,
      nonce: p.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(p.codeVerifier),
      code_challenge_method: 'S256',
    });
  }

  /** Exchanges the code in `callbackUrl` (the redirect URI with the provider's query) and checks everything. */
  async finish(callbackUrl: URL, p: { state: string; nonce: string; codeVerifier: string }): Promise<VerifiedSignIn> {
    const config = await this.#discover();
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: p.codeVerifier,
        expectedState: p.state,
        expectedNonce: p.nonce,
        idTokenExpected: true,
      });
    } catch (err) {
      if (err instanceof client.AuthorizationResponseError) throw OidcError.providerRefused(err.error_description ?? err.error);
      throw OidcError.tokenInvalid(describe(err), err);
    }
    const idClaims = tokens.claims();
    if (!idClaims) throw OidcError.tokenInvalid('no ID token');
    const claims: Claims = { ...idClaims };
    const wanted = [this.settings.roleClaim, this.settings.nameClaim, 'preferred_username', 'email'];
    if (wanted.some((name) => claims[name] === undefined) && config.serverMetadata().userinfo_endpoint) {
      try {
        const info = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
        for (const [name, value] of Object.entries(info)) if (claims[name] === undefined) claims[name] = value;
      } catch (err) {
        throw OidcError.tokenInvalid(`userinfo: ${describe(err)}`, err);
      }
    }
    return { issuer: idClaims.iss, subject: idClaims.sub, claims };
  }

  #discover(): Promise<client.Configuration> {
    if (this.#config) return this.#config;
    const { issuer, clientId, clientSecret } = this.settings;
    const options = issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {};
    const pending = client.discovery(issuer, clientId, clientSecret, undefined, { ...options, timeout: 10 }).then(
      (config) => {
        this.log.info({ issuer: issuer.href }, 'OpenID provider discovered');
        return config;
      },
      (err: unknown) => {
        this.#config = undefined; // try again at the next sign-in
        this.log.warn({ issuer: issuer.href, reason: describe(err) }, 'OpenID provider discovery failed');
        throw OidcError.providerUnavailable(describe(err), err);
      },
    );
    this.#config = pending;
    return pending;
  }
}

function describe(err: unknown): string {
  if (err instanceof client.ResponseBodyError) return `${err.error}${err.error_description ? `: ${err.error_description}` : ''}`;
  if (!(err instanceof Error)) return String(err);
  // openid-client says "unexpected JWT claim value encountered"; its cause names the claim
  return err.cause instanceof Error ? `${err.message} (${err.cause.message})` : err.message;
}
