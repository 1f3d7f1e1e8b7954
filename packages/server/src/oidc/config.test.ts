import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';

const dir = mkdtempSync(path.join(tmpdir(), 'fh-oidc-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = { PUBLIC_URL: 'https://support.example.com', OIDC_ISSUER: 'https://login.example.com/realms/support', OIDC_CLIENT_ID: 'fernhilfe', OIDC_CLIENT_SECRET: 'shh' };
const load = (env: Record<string, string>) => loadConfig({ DATA_DIR: dir, ...env });

describe('single sign-on settings', () => {
  it('are off by default, with password accounts on', () => {
    expect(load({})).toMatchObject({ oidc: undefined, localAccounts: true });
  });

  it('derive the redirect URI from PUBLIC_URL and read the lists', () => {
    const { oidc, localAccounts } = load({ ...base, OIDC_ADMIN_VALUES: 'a, b', OIDC_TECHNICIAN_VALUES: '', LOCAL_ACCOUNTS: 'off' });
    expect(localAccounts).toBe(false);
    expect(oidc).toMatchObject({
      redirectUri: 'https://support.example.com/api/auth/oidc/callback',
      clientSecret: 'shh',
      scopes: 'openid profile email',
      roleClaim: 'groups',
      adminValues: ['a', 'b'],
      technicianValues: [],
    });
  });

  it('read the client secret from a file, which wins', () => {
    const file = path.join(dir, 'secret');
    writeFileSync(file, 'from the file\n');
    expect(load({ ...base, OIDC_CLIENT_SECRET_FILE: file }).oidc?.clientSecret).toBe('from the file');
    expect(() => load({ ...base, OIDC_CLIENT_SECRET_FILE: path.join(dir, 'missing') })).toThrow(/OIDC_CLIENT_SECRET_FILE: cannot read .*missing \(ENOENT\)/);
  });

  it('stop the start with a plain message naming what is wrong, never the secret', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ ...base, PUBLIC_URL: '' }, /needs PUBLIC_URL/],
      [{ ...base, OIDC_CLIENT_ID: '' }, /OIDC_CLIENT_ID/],
      [{ ...base, OIDC_CLIENT_SECRET: '' }, /OIDC_CLIENT_SECRET/],
      [{ ...base, OIDC_ISSUER: 'http://login.example.com' }, /must be an https:\/\/ URL/],
      [{ ...base, OIDC_ISSUER: 'not a url' }, /OIDC_ISSUER/],
      [{ ...base, OIDC_SCOPES: 'profile email' }, /must contain openid/],
      [{ ...base, OIDC_ADMIN_VALUES: ',', OIDC_TECHNICIAN_VALUES: ' , ' }, /nobody could sign in/],
      [{ LOCAL_ACCOUNTS: 'off' }, /LOCAL_ACCOUNTS=off needs single sign-on/],
      [{ LOCAL_ACCOUNTS: 'maybe' }, /LOCAL_ACCOUNTS/],
      [{ OIDC_CLIENT_SECRET: 'shh' }, /OIDC_CLIENT_SECRET is set but OIDC_ISSUER is not/],
    ];
    for (const [env, message] of cases) {
      const clean = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
      let error: unknown;
      try {
        load(clean);
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(env)).toMatchObject({ name: 'ConfigError', message: expect.stringMatching(message) });
      expect((error as Error).message).not.toContain('shh');
    }
    expect(load({ ...base, OIDC_ISSUER: 'http://127.0.0.1:9000' }).oidc?.issuer.href).toBe('http://127.0.0.1:9000/');
  });
});
