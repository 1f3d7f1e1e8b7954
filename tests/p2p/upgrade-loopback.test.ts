import { afterEach, describe, expect, it, vi } from 'vitest';
import { holdStill } from '../support/quiet.js';
import { establish } from '../support/resume-kit.js';
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
    await expect.poll(() => [s.techSession.routes.via, s.custSession.routes.via], { message: 'both sessions send on the data channel', timeout: 5_000 }).toEqual(['direct', 'direct']);
    const got = receiver(s.techSession);
    const before = srv.relayMeter.bytes;
    const sent = await sendStream(s.custSession, 128, 32 * 1024);
    await vi.waitFor(() => expect(got.state.bytes, 'the stream arrived').toBeGreaterThanOrEqual(128 * 32 * 1024), { timeout: 20_000, interval: 20 });
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
      if (i % 20 === 0) await holdStill(5, 'the pace of the stream, so the channel closes mid-stream');
    });
    await vi.waitFor(() => expect(got.state.bytes, 'the stream arrived').toBeGreaterThanOrEqual(200 * 16 * 1024), { timeout: 20_000, interval: 20 });
    expect(got.digest()).toBe(sent);
    await cust.reached('relayed', 10_000).catch(() => undefined);
    expect(tech.paths.at(-1)).toBe('relayed');
    expect(srv.relayMeter.bytes - before).toBeGreaterThan(0);
    await s.techSession.end();
  });
});
