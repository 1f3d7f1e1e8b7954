import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { signInAt } from './sign-in-burst.js';

/**
 * Password hashing is bounded server-wide (finding 4): a flood of sign-ins waits for a turn instead
 * of filling libuv's thread pool, which the server also needs to read files. Without the bound, a
 * page requested while hashes are queued is served only after (nearly) all of them.
 */
describe('the hash gate', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer({ TRUST_PROXY: '127.0.0.1', PASSWORD_COST: '17' }); // real hashing cost: that is what the gate bounds
  });
  afterAll(() => srv?.close());

  it('while 16 sign-ins are hashing, a static page is served before half of them have finished', async () => {
    let finished = 0;
    let firstAnswer!: () => void;
    const started = new Promise<void>((resolve) => (firstAnswer = resolve));
    // distinct logins and addresses: no sign-in limit applies, every one is hashed
    const logins = Array.from({ length: 16 }, (_, i) =>
      signInAt(srv.url, { login: `nobody${i}`, password: 'wrong guess!!' }, `192.0.2.${i + 1}`).then((answer) => {
        finished++;
        firstAnswer();
        return answer;
      }),
    );
    await started; // hashing is under way and the rest are queued
    const page = await fetch(`${srv.url}/setup`);
    const finishedWhenPageCame = finished;
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    const answers = await Promise.all(logins);
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 401));
    expect(finishedWhenPageCame, `the page came after ${finishedWhenPageCame} of 16 sign-ins had finished`).toBeLessThan(8);
  }, 240_000);
});
