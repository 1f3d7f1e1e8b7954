import { cpuUsage } from 'node:process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../packages/server/src/auth/password.js';
import { startTestServer, type TestServer } from '../support/server.js';

const PASSWORD = 'setup password that is long';

/** POST /api/setup like the setup page (same origin), from `ip` through the trusted proxy. */
async function setup(srv: TestServer, token: string, ip: string) {
  const res = await fetch(`${srv.url}/api/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: srv.url, 'x-forwarded-for': ip },
    body: JSON.stringify({ token, login: 'admin', password: PASSWORD, displayName: 'Admin', company: '' }),
  });
  const body = (await res.json()) as { error?: { code: string } };
  return { status: res.status, code: body.error?.code };
}

/** CPU time (user + system, all threads of this process: the server runs here) spent by `work`, in ms. */
async function cpuMs(work: () => Promise<unknown>): Promise<number> {
  const before = cpuUsage();
  await work();
  const used = cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/**
 * POST /api/setup checks before it hashes (finding 4): a wrong token, or any request after the
 * first admin exists, costs a query instead of an scrypt hash, and an address that keeps trying is
 * refused. The cost is compared with the cost of hashing passwords on this same machine, so the
 * test does not depend on how fast (or busy) the machine is.
 */
describe('POST /api/setup under a flood', () => {
  let srv: TestServer;
  let token: string;
  beforeAll(async () => {
    srv = await startTestServer({ TRUST_PROXY: '127.0.0.1' });
    token = new URL(srv.setupUrl!).hash.replace('#token=', '');
    // the test server creates a technician; without any account the server is waiting for setup
    await srv.database.db.deleteFrom('users').execute();
  });
  afterAll(() => srv?.close());

  it('60 requests with wrong tokens cost less CPU than 3 password hashes, and the 31st from one address gets 429', async () => {
    const threeHashes = await cpuMs(() => Promise.all([hashPassword('a b c d e f g'), hashPassword('a b c d e f h'), hashPassword('a b c d e f i')]));
    const answers: { status: number; code: string | undefined }[] = [];
    const flood = await cpuMs(async () => {
      for (const ip of ['203.0.113.40', '203.0.113.41']) {
        answers.push(...(await Promise.all(Array.from({ length: 30 }, (_, i) => setup(srv, `guess-${i}`, ip)))));
      }
    });
    expect(answers.every((a) => a.status === 403 && a.code === 'setup_token_invalid')).toBe(true);
    expect(flood, `60 wrong setup requests used ${flood.toFixed(0)} ms of CPU; 3 hashes use ${threeHashes.toFixed(0)} ms`).toBeLessThan(threeHashes);
    expect(await setup(srv, 'guess-31', '203.0.113.40')).toEqual({ status: 429, code: 'rate_limited' });
  }, 240_000);

  it('after the first admin, 60 more setup requests (valid token) cost less CPU than 3 password hashes', async () => {
    expect((await setup(srv, token, '198.51.100.40')).status).toBe(201);
    const threeHashes = await cpuMs(() => Promise.all([hashPassword('a b c d e f g'), hashPassword('a b c d e f h'), hashPassword('a b c d e f i')]));
    const answers: { status: number; code: string | undefined }[] = [];
    const flood = await cpuMs(async () => {
      answers.push(...(await Promise.all(Array.from({ length: 60 }, (_, i) => setup(srv, token, `192.0.2.${i + 1}`)))));
    });
    expect(answers.every((a) => a.status === 409 && a.code === 'already_set_up')).toBe(true);
    expect(flood, `60 late setup requests used ${flood.toFixed(0)} ms of CPU; 3 hashes use ${threeHashes.toFixed(0)} ms`).toBeLessThan(threeHashes);
  }, 240_000);
});
