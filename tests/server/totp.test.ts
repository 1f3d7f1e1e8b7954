import { Secret, TOTP, URI } from 'otpauth';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TOTP_PERIOD_SECONDS } from '@fernhilfe/server';
import { testBackends } from '../support/postgres.js';
import { startTestServer, TECH_LOGIN, TECH_PASSWORD, type TestServer } from '../support/server.js';
import { HttpSession } from './http-session.js';

const STEP_MS = TOTP_PERIOD_SECONDS * 1000;
/** The code an authenticator app shows `steps` periods from now (the server accepts one either side). */
const codeFor = (secret: string, steps = 0) => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: Date.now() + steps * STEP_MS });
/** A 6-digit code that is none of the three the server would accept now. */
const wrongCodeFor = (secret: string) => {
  const near = [-1, 0, 1, 2].map((steps) => codeFor(secret, steps));
  return ['000000', '123456', '654321', '999999', '111111'].find((c) => !near.includes(c)) ?? '';
};

const backends = testBackends();
afterAll(async () => {
  for (const backend of backends) await backend.dispose();
});

describe.each(backends)('two-factor sign-in on $name', (backend) => {
  let srv: TestServer;
  let tech: HttpSession;
  beforeEach(async () => {
    const { databaseUrl } = await backend.freshDatabase();
    srv = await startTestServer(databaseUrl ? { DATABASE_URL: databaseUrl } : {});
    tech = new HttpSession(srv.url);
    expect((await tech.login(TECH_LOGIN, TECH_PASSWORD)).status).toBe(200);
  });
  afterEach(() => srv.close());

  const me = async (session: HttpSession) => (await session.call('GET', '/api/auth/me')).body as { user: { totpEnabled: boolean } };
  const setup = async (session = tech) => {
    const response = await session.call('POST', '/api/auth/totp/setup', { body: {} });
    expect(response.status).toBe(200);
    return response.body as { secret: string; otpauthUri: string };
  };
  const enable = (code: string, session = tech) => session.call('POST', '/api/auth/totp/enable', { body: { code } });
  const login = (totp?: string) => new HttpSession(srv.url).login(TECH_LOGIN, TECH_PASSWORD, totp === undefined ? {} : { totp });

  it('enrols with a code from the app, then asks for a fresh code at every sign-in', async () => {
    expect((await me(tech)).user.totpEnabled).toBe(false);
    const pending = await setup();
    const { secret, otpauthUri } = await setup(); // a second set-up replaces the pending secret
    expect(secret).not.toBe(pending.secret);
    expect(URI.parse(otpauthUri)).toMatchObject({ issuer: 'Fernhilfe', label: TECH_LOGIN, algorithm: 'SHA1', digits: 6, period: 30 });
    expect((await login()).status).toBe(200); // pending is not enabled

    expect((await enable(codeFor(pending.secret))).body).toMatchObject({ error: { code: 'totp-invalid' } });
    const wrong = await enable(wrongCodeFor(secret));
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: { code: 'totp-invalid' } });
    const enablingCode = codeFor(secret);
    expect((await enable(enablingCode)).status).toBe(204);
    expect((await me(tech)).user.totpEnabled).toBe(true);
    expect((await tech.call('POST', '/api/auth/totp/setup', { body: {} })).status).toBe(409);

    const missing = await login();
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({ error: { code: 'totp-required', message: expect.any(String) } });
    expect(missing.setsSession).toBe(false);
    const wrongAtSignIn = await login(wrongCodeFor(secret));
    expect(wrongAtSignIn.status).toBe(401);
    expect(wrongAtSignIn.body).toMatchObject({ error: { code: 'totp-invalid', message: expect.any(String) } });
    expect(wrongAtSignIn.setsSession).toBe(false);
    expect((await login(enablingCode)).body).toMatchObject({ error: { code: 'totp-invalid' } }); // already used to enable

    const next = codeFor(secret, 1);
    const ok = await login(next);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ user: { login: TECH_LOGIN, totpEnabled: true } });
    const replayed = await login(next);
    expect(replayed.status).toBe(401);
    expect(replayed.body).toMatchObject({ error: { code: 'totp-invalid' } });
    expect(replayed.setsSession).toBe(false);
    expect((await new HttpSession(srv.url).login(TECH_LOGIN, 'wrong password!!', { totp: codeFor(secret, 1) })).status).toBe(401);

    const logs = srv.logText();
    for (const secretText of [secret, pending.secret, encodeURIComponent(secret)]) expect(logs).not.toContain(secretText);
    for (const code of [enablingCode, next]) expect(logs).not.toContain(`"${code}"`);
    expect(logs).not.toContain('otpauth://');
  });

  it('switches off only with a right, unused code', async () => {
    const { secret } = await setup();
    const enablingCode = codeFor(secret);
    await enable(enablingCode);
    const disable = (code: string) => tech.call('POST', '/api/auth/totp/disable', { body: { code } });
    expect((await disable(wrongCodeFor(secret))).status).toBe(400);
    expect((await disable(enablingCode)).body).toMatchObject({ error: { code: 'totp-invalid' } });
    expect((await tech.call('POST', '/api/auth/totp/disable', { body: {} })).status).toBe(400);
    expect((await disable(codeFor(secret, 1))).status).toBe(204);
    expect((await me(tech)).user.totpEnabled).toBe(false);
    expect((await login()).status).toBe(200);
    expect((await disable(codeFor(secret, 1))).status).toBe(409);
    expect(srv.logText()).not.toContain(secret);
  });

  it('counts wrong codes as failed sign-ins', async () => {
    const { secret } = await setup();
    await enable(codeFor(secret));
    for (let i = 0; i < 10; i++) expect((await login(wrongCodeFor(secret))).status).toBe(401);
    const blocked = await login(codeFor(secret, 1));
    expect(blocked.status).toBe(429);
    expect(blocked.body).toMatchObject({ error: { code: 'rate_limited' } });
    expect(blocked.setsSession).toBe(false);
  });
});
