import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LogicalChannel } from '@fernhilfe/protocol';
import { scrape } from '../support/prometheus.js';
import { establish } from '../support/resume-kit.js';
import { startTestServer } from '../support/server.js';
import { receiver, sendStream, upgrade } from './kit.js';

/**
 * The P2P share in /metrics (docs/metrics.md) with a real direct path (Node's WebRTC on this host's
 * own addresses, as in upgrade-loopback.test.ts): a session counts as relayed while the relay carries
 * its frames, and as not relayed once they go over the data channel.
 */
describe('/metrics: P2P share with a real direct path', () => {
  it('a relayed session becomes not_relayed after its upgrade; its end counts by that path', async () => {
    await using srv = await startTestServer({ METRICS_PORT: '0' });
    const metricsUrl = `${srv.metrics!.endpoint.url!}/metrics`;
    const s = await establish(srv, srv.url.replace(/^http/, 'ws'));
    const arrived = s.techSession.once('data');
    await s.custSession.sendData(LogicalChannel.video, new Uint8Array(randomBytes(50_000)));
    await arrived;
    const relayed = await scrape(metricsUrl);
    expect(relayed.value('fernhilfe_sessions_active', { path: 'relayed' })).toBe(1);
    expect(relayed.value('fernhilfe_sessions_active', { path: 'not_relayed' })).toBe(0);

    const tech = upgrade(s.techSession);
    const cust = upgrade(s.custSession);
    await Promise.all([tech.reached('direct', 20_000), cust.reached('direct', 20_000)]);
    const got = receiver(s.techSession);
    const bytesBefore = relayed.value('fernhilfe_relay_bytes_total')!;
    // a stream on the direct path; the relay has carried nothing of the session for 10 s, so it is not_relayed
    await sendStream(s.custSession, 64, 16 * 1024);
    await expect.poll(() => got.state.bytes, { timeout: 20_000 }).toBeGreaterThanOrEqual(64 * 16 * 1024);
    await expect.poll(async () => (await scrape(metricsUrl)).value('fernhilfe_sessions_active', { path: 'not_relayed' }), { timeout: 30_000, interval: 500 }).toBe(1);
    const direct = await scrape(metricsUrl);
    expect(direct.value('fernhilfe_sessions_active', { path: 'relayed' })).toBe(0);
    // what the relay carried since the upgrade began: its handshake messages, not the 1 MiB stream
    expect(direct.value('fernhilfe_relay_bytes_total')! - bytesBefore).toBeLessThan(64 * 16 * 1024);

    await s.techSession.end();
    await expect.poll(async () => (await scrape(metricsUrl)).value('fernhilfe_sessions_ended_total', { path: 'not_relayed' })).toBe(1);
    expect((await scrape(metricsUrl)).value('fernhilfe_sessions_ended_total', { path: 'relayed' })).toBe(0);
  });
});
