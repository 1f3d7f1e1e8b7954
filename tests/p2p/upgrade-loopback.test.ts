import { afterEach, describe, expect, it } from 'vitest';
import { establish, sleep, within } from '../support/resume-kit.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { receiver, sendStream, upgrade } from './kit.js';

/**
 * The upgrade in one process on this machine's own addresses (Node's WebRTC gathers candidates on
 * them; Chromium does not, see netns tests): the stream moves to the data channel with nothing lost,
 * the server relays nothing meanwhile, and a closed channel falls back to the relay.
 */
describe('P2P upgrade, Node endpoints on this host', () => {
  let srv: TestServer | undefined;
  afterEach(async () => {
    await srv?.close();
    srv = undefined;
  });

  it('moves the encrypted stream onto a direct data channel; the relay carries none of it', async () => {
    srv = await startTestServer();
    const s = await establish(srv, srv.url.replace(/^http/, 'ws'));
    const tech = upgrade(s.techSession);
    const cust = upgrade(s.custSession);
    await Promise.all([tech.reached('direct', 20_000), cust.reached('direct', 20_000)]);
    await sleep(200);
    const got = receiver(s.techSession);
    const before = srv.relayMeter.bytes;
    const sent = await sendStream(s.custSession, 128, 32 * 1024);
    await within((async () => { while (got.state.bytes < 128 * 32 * 1024) await sleep(20); })(), 20_000, 'the stream');
    expect(got.digest()).toBe(sent);
    expect(srv.relayMeter.bytes - before).toBe(0);
    expect(s.techSession.routes.via).toBe('direct');
    await s.techSession.end();
  });

  it('falls back to the relay when the data channel closes mid-stream, losing nothing', async () => {
    srv = await startTestServer();
    const s = await establish(srv, srv.url.replace(/^http/, 'ws'));
    const tech = upgrade(s.techSession);
    const cust = upgrade(s.custSession);
    await Promise.all([tech.reached('direct', 20_000), cust.reached('direct', 20_000)]);
    const got = receiver(s.techSession);
    const before = srv.relayMeter.bytes;
    const sent = await sendStream(s.custSession, 200, 16 * 1024, async (i) => {
      if (i === 80) cust.up.close(); // the customer's side of the channel goes away
      if (i % 20 === 0) await sleep(5);
    });
    await within((async () => { while (got.state.bytes < 200 * 16 * 1024) await sleep(20); })(), 20_000, 'the stream');
    expect(got.digest()).toBe(sent);
    await cust.reached('relayed', 10_000).catch(() => undefined);
    expect(tech.paths.at(-1)).toBe('relayed');
    expect(srv.relayMeter.bytes - before).toBeGreaterThan(0);
    await s.techSession.end();
  });
});
