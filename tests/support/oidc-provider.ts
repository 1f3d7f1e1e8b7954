import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, importJWK, SignJWT, decodeJwt, decodeProtectedHeader, type JWK } from 'jose';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';

export const CLIENT_ID = 'fernhilfe-console';
export const CLIENT_SECRET = 'a client secret that is long enough for the provider';

export interface TestProvider {
  /** the issuer URL, http://127.0.0.1:<port> */
  issuer: string;
  /** people at the provider by account id (the dev login form takes the id): their claims, changeable */
  users: Map<string, Record<string, unknown>>;
  /** when set, the token endpoint's ID token names this audience instead of the client (signed by the provider's key) */
  forgeAudience: string | undefined;
  /** the Fernhilfe environment for this provider (OIDC_*; PUBLIC_URL comes from the test) */
  env(extra?: Record<string, string>): Record<string, string>;
  close(): Promise<void>;
}

/**
 * A real OpenID provider (the `oidc-provider` package) on 127.0.0.1 port 0 with its development
 * login form (any password; the login is the account id), one confidential client whose redirect URI
 * is `redirectBase` + /api/auth/oidc/callback, and consent skipped (a first-party client). Claims:
 * sub, name, preferred_username, email, groups; the scope `groups` asks for groups.
 */
export async function startTestProvider(redirectBase: string): Promise<TestProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const issuer = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const users = new Map<string, Record<string, unknown>>();

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [`${redirectBase}/api/auth/oidc/callback`],
        token_endpoint_auth_method: 'client_secret_post',
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [jwk as never] },
    cookies: { keys: ['test cookie key that is not secret'] },
    scopes: ['openid', 'profile', 'email', 'groups'],
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email'], groups: ['groups'] },
    findAccount: (_ctx, id) => {
      const claims = users.get(id);
      return claims ? { accountId: id, claims: () => ({ sub: id, ...claims }) } : undefined;
    },
    // a first-party client: no consent page, every scope it asks for is granted
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session?.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope(String(ctx.oidc.params?.scope ?? 'openid'));
      await grant.save();
      return grant;
    },
    features: { devInteractions: { enabled: true } },
  });
  provider.on('server_error', (_ctx: unknown, err: Error) => console.error('test provider error:', err));

  const state: Pick<TestProvider, 'forgeAudience'> = { forgeAudience: undefined };
  const key = await importJWK(jwk, 'RS256');
  // a token for another client: the provider's own key signs an ID token naming another audience
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { id_token?: string } | undefined;
    if (ctx.path !== '/token' || state.forgeAudience === undefined || typeof body?.id_token !== 'string') return;
    const claims = decodeJwt(body.id_token);
    const header = decodeProtectedHeader(body.id_token);
    body.id_token = await new SignJWT({ ...claims, aud: state.forgeAudience, azp: state.forgeAudience })
      .setProtectedHeader({ alg: 'RS256', kid: header.kid ?? 'test-key' })
      .sign(key);
  });
  server.on('request', provider.callback());

  return {
    issuer,
    users,
    get forgeAudience() {
      return state.forgeAudience;
    },
    set forgeAudience(value) {
      state.forgeAudience = value;
    },
    env: (extra = {}) => ({
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_CLIENT_SECRET: CLIENT_SECRET,
      OIDC_SCOPES: 'openid profile email groups',
      OIDC_PROVIDER_NAME: 'Test IdP',
      OIDC_ROLE_CLAIM: 'groups',
      OIDC_ADMIN_VALUES: 'support-admins',
      OIDC_TECHNICIAN_VALUES: 'support-staff',
      ...extra,
    }),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
