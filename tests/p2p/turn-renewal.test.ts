import wrtc from '@roamhq/wrtc';
import type { IceServersMessage } from '@fernhilfe/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { startCoturn, type Coturn } from '../support/coturn.js';
import { establish } from '../support/resume-kit.js';
import { startTestServer, type TestServer } from '../support/server.js';

type IceServer = IceServersMessage['iceServers'][number];

/** The relay candidates a real WebRTC stack gets from coturn with these servers: none when coturn refuses the credential. */
async function relayCandidates(iceServers: IceServer[]): Promise<string[]> {
  const pc = new wrtc.RTCPeerConnection({ iceServers, iceTransportPolicy: 'relay' });
  const found: string[] = [];
  const gathered = new Promise<void>((resolve) => {
    pc.onicecandidate = (e: { candidate: { candidate: string } | null }) => (e.candidate ? void found.push(e.candidate.candidate) : resolve());
  });
  pc.createDataChannel('probe');
  await pc.setLocalDescription(await pc.createOffer());
  await gathered;
  pc.close();
  return found.filter((c) => / typ relay /.test(c));
}

const turnServer = (msg: IceServersMessage | undefined) => msg?.iceServers.find((s) => s.username !== undefined);
const expiryOf = (server: IceServer | undefined) => Number(server?.username?.split(':')[0]);

describe('TURN credentials: short-lived, renewed while the session lasts (real coturn)', () => {
  let srv: TestServer | undefined;
  let turn: Coturn | undefined;
  afterEach(async () => {
    await srv?.close();
    await turn?.stop();
    srv = turn = undefined;
  });

  it('sends fresh credentials before the old ones expire; coturn refuses the expired one and accepts the renewed one', async () => {
    turn = await startCoturn('127.0.0.1');
    srv = await startTestServer({ P2P: '1', TURN_URLS: turn.url, TURN_SECRET: turn.secret, TURN_TTL_S: '6' });
    const s = await establish(srv, srv.url.replace(/^http/, 'ws'));
    const received: IceServersMessage[] = [];
    s.custSession.routes.on('ice-servers', (m) => void received.push(m));
    await expect.poll(() => s.custSession.routes.iceServers, { timeout: 5000 }).toBeDefined();
    const first = turnServer(s.custSession.routes.iceServers)!;
    expect(first.urls).toEqual([turn.url]);
    expect(expiryOf(first) - Date.now() / 1000).toBeLessThanOrEqual(6);
    expect(await relayCandidates([first])).not.toEqual([]); // valid now

    // the renewal: every half of the lifetime, a credential that expires later
    await expect.poll(() => received.some((m) => expiryOf(turnServer(m)) > expiryOf(first)), { timeout: 10_000, interval: 200 }).toBe(true);
    // wait for the first credential's expiry (coturn compares whole seconds)
    await expect.poll(() => Date.now() / 1000 > expiryOf(first) + 1, { timeout: 10_000, interval: 200 }).toBe(true);
    expect(await relayCandidates([first])).toEqual([]);
    expect(turn.output()).toMatch(new RegExp(`user <${first.username}>: incoming packet message processed, error 401`));

    // the endpoint holds the newest credential, which is still valid: coturn grants it a relay
    const latest = turnServer(s.custSession.routes.iceServers)!;
    expect(expiryOf(latest)).toBeGreaterThan(Date.now() / 1000);
    expect(await relayCandidates([latest])).not.toEqual([]);
    expect(turnServer(s.techSession.routes.iceServers)?.username).toMatch(/-technician$/);
    expect(expiryOf(turnServer(s.techSession.routes.iceServers))).toBeGreaterThan(expiryOf(first));
    await s.techSession.end();
  });
});
