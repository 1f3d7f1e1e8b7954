import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * Single sign-on settings (docs/sso.md, docs/configuration.md). Part of the server's environment
 * schema (config.ts); OIDC_ISSUER switches it on and then needs the client id, a secret and PUBLIC_URL.
 */
export const oidcEnvShape = {
  /** the provider's issuer URL; its /.well-known/openid-configuration is read at the first sign-in */
  OIDC_ISSUER: z
    .url({ protocol: /^https?$/, error: 'must be the provider\'s issuer URL, e.g. https://login.example.com/realms/support' })
    .optional(),
  OIDC_CLIENT_ID: z.string().min(1).max(500).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).max(4096).optional(),
  /** a file holding the client secret (a mounted secret); wins over OIDC_CLIENT_SECRET */
  OIDC_CLIENT_SECRET_FILE: z.string().min(1).optional(),
  OIDC_SCOPES: z.string().default('openid profile email'),
  /** the button's text: "Sign in with <name>" */
  OIDC_PROVIDER_NAME: z.string().trim().min(1).max(60).default('single sign-on'),
  /** the claim whose value (a string or a list of strings) says the role, e.g. groups or roles */
  OIDC_ROLE_CLAIM: z.string().min(1).max(200).default('groups'),
  OIDC_ADMIN_VALUES: z.string().default('fernhilfe-admins'),
  OIDC_TECHNICIAN_VALUES: z.string().default('fernhilfe-technicians'),
  OIDC_NAME_CLAIM: z.string().min(1).max(200).default('name'),
  /** on: password accounts sign in as before; off: only single sign-on (needs OIDC_ISSUER) */
  LOCAL_ACCOUNTS: z.enum(['on', 'off']).default('on'),
};

type OidcEnv = z.infer<z.ZodObject<typeof oidcEnvShape>>;

export interface OidcConfig {
  issuer: URL;
  clientId: string;
  /** never logged */
  clientSecret: string;
  /** PUBLIC_URL + /api/auth/oidc/callback */
  redirectUri: string;
  scopes: string;
  providerName: string;
  roleClaim: string;
  adminValues: string[];
  technicianValues: string[];
  nameClaim: string;
}

const list = (value: string) => value.split(',').map((s) => s.trim()).filter(Boolean);
const isLoopback = (host: string) => host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);

/** How config.ts stops the start (its ConfigError; passed in, so this file does not import config.ts). */
export type ConfigFail = (kind: 'invalid' | 'unreadable', message: string) => never;

/** The single sign-on settings, undefined when OIDC_ISSUER is unset; a bad value calls `fail` naming the variable. */
export function parseOidcConfig(e: OidcEnv, publicUrl: string | undefined, fail: ConfigFail): { oidc: OidcConfig | undefined; localAccounts: boolean } {
  const localAccounts = e.LOCAL_ACCOUNTS === 'on';
  if (e.OIDC_ISSUER === undefined) {
    const stray = (['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_CLIENT_SECRET_FILE'] as const).find((k) => e[k] !== undefined);
    if (stray) fail('invalid', `${stray} is set but OIDC_ISSUER is not: set OIDC_ISSUER to switch single sign-on on`);
    if (!localAccounts) fail('invalid', 'LOCAL_ACCOUNTS=off needs single sign-on: set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET');
    return { oidc: undefined, localAccounts };
  }
  const issuer = new URL(e.OIDC_ISSUER);
  if (issuer.protocol === 'http:' && !isLoopback(issuer.hostname)) {
    fail('invalid', 'OIDC_ISSUER must be an https:// URL (http:// only for a provider on this machine, 127.0.0.1 or localhost)');
  }
  if (e.OIDC_CLIENT_ID === undefined) fail('invalid', 'OIDC_ISSUER needs OIDC_CLIENT_ID (the client id registered at the provider)');
  const clientSecret = readSecret(e, fail);
  if (publicUrl === undefined) {
    fail('invalid', 'OIDC_ISSUER needs PUBLIC_URL: the provider sends people back to PUBLIC_URL/api/auth/oidc/callback');
  }
  const scopes = e.OIDC_SCOPES.split(/\s+/).filter(Boolean);
  if (!scopes.includes('openid')) fail('invalid', 'OIDC_SCOPES must contain openid');
  const adminValues = list(e.OIDC_ADMIN_VALUES);
  const technicianValues = list(e.OIDC_TECHNICIAN_VALUES);
  if (adminValues.length === 0 && technicianValues.length === 0) {
    fail('invalid', 'OIDC_ADMIN_VALUES and OIDC_TECHNICIAN_VALUES are both empty: nobody could sign in');
  }
  return {
    localAccounts,
    oidc: {
      issuer,
      clientId: e.OIDC_CLIENT_ID,
      clientSecret,
      redirectUri: `${publicUrl}/api/auth/oidc/callback`,
      scopes: scopes.join(' '),
      providerName: e.OIDC_PROVIDER_NAME,
      roleClaim: e.OIDC_ROLE_CLAIM,
      adminValues,
      technicianValues,
      nameClaim: e.OIDC_NAME_CLAIM,
    },
  };
}

function readSecret(e: OidcEnv, fail: ConfigFail): string {
  if (e.OIDC_CLIENT_SECRET_FILE !== undefined) {
    let text: string;
    try {
      text = readFileSync(e.OIDC_CLIENT_SECRET_FILE, 'utf8');
    } catch (err) {
      fail('unreadable', `OIDC_CLIENT_SECRET_FILE: cannot read ${e.OIDC_CLIENT_SECRET_FILE} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    const secret = text.trim();
    if (secret === '') fail('invalid', `OIDC_CLIENT_SECRET_FILE: ${e.OIDC_CLIENT_SECRET_FILE} is empty`);
    return secret;
  }
  if (e.OIDC_CLIENT_SECRET === undefined) fail('invalid', 'OIDC_ISSUER needs OIDC_CLIENT_SECRET or OIDC_CLIENT_SECRET_FILE');
  return e.OIDC_CLIENT_SECRET;
}
