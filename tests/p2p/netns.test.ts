import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { startCoturn, type Coturn } from '../support/coturn.js';
import { canMakeNamespaces, makeLab, type Lab } from '../support/netns.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startEndpoint, type EndpointEvent, type EndpointProcess } from './endpoint-process.js';

/**
 * The P2P upgrade between two Node endpoints (the customer on werift as the agent, the technician
 * on @roamhq/wrtc, the libwebrtc of Chromium) in network namespaces the test makes
 * (support/netns.ts): the customer in one, the technician in the other, the server (and coturn) in
 * the root namespace, reachable from both. Data checks are SHA-256 over a stream of known bytes; the
 * server's relay meter counts every PEER byte it forwards.
 */
const netns = canMakeNamespaces();
if (!netns.ok) throw new Error(`these tests need network namespaces (root, iproute2): ${netns.why}`);

describe('P2P upgrade across network namespaces (Node endpoints)', () => {
  let lab: Lab | undefined;
  let srv: TestServer | undefined;
  let turn: Coturn | undefined;
  const endpoints: EndpointProcess[] = [];

  const cleanup = async () => {
    await Promise.all(endpoints.splice(0).map((e) => e.kill()));
    await turn?.stop();
    await srv?.close();
    lab?.close();
    turn = undefined;
    srv = undefined;
    lab = undefined;
  };
  afterEach(cleanup);
  afterAll(cleanup);

  /** Lab, server (with TURN if given), both endpoints up to an authenticated session. */
  async function session(opts: { direct: boolean; coturn?: 'running' | 'stopped'; turnOver?: 'tcp'; childEnv?: Record<string, string> }) {
    lab = makeLab({ direct: opts.direct });
    const env: Record<string, string> = { HOST: lab.serverAddr, ALLOW_INSECURE: '1' };
    if (opts.coturn) {
      turn = await startCoturn(lab.serverAddr);
      const url = opts.turnOver === 'tcp' ? turn.url.replace('transport=udp', 'transport=tcp') : turn.url;
      Object.assign(env, { TURN_URLS: url, TURN_SECRET: turn.secret, TURN_TTL_S: '600' });
      if (opts.coturn === 'stopped') await turn.stop();
    }
    srv = await startTestServer(env);
    // the customer on werift, the agent's stack; the technician on libwebrtc, the browser's
    const customer = await startEndpoint(lab, 'customer', srv.url, { ...opts.childEnv, PEER: 'werift' });
    const technician = await startEndpoint(lab, 'technician', srv.url, opts.childEnv);
    endpoints.push(customer, technician);
    const reg = await customer.waitFor((e) => e.ev === 'registered', 20_000, 'registration');
    await technician.waitFor((e) => e.ev === 'ready', 20_000, 'sign-in');
    technician.send({ cmd: 'connect', id: reg.id, password: reg.password });
    await Promise.all([customer, technician].map((e) => e.waitFor((x) => x.ev === 'session', 20_000, 'the session')));
    return { customer, technician, srv };
  }

  const isPath = (path: string) => (e: EndpointEvent) => e.ev === 'path' && e.path === path;

  /** Streams `count` x `size` bytes customer -> technician; resolves with both hashes. */
  async function stream(customer: EndpointProcess, technician: EndpointProcess, count: number, size: number, pauseMs = 0, whileSending?: () => Promise<void>) {
    const since = customer.events.length;
    customer.send({ cmd: 'send', count, size, pauseMs });
    await whileSending?.();
    const sent = await customer.waitFor((e) => e.ev === 'sent', 60_000, 'the stream sent', since);
    const got = await vi.waitFor(async () => {
      const report = await received(technician);
      if ((report.bytes as number) < count * size) throw new Error(`the stream did not arrive: ${String(report.bytes)} of ${count * size} bytes`);
      return report;
    }, { timeout: 60_000, interval: 100 });
    return { sent: sent.hash, got: got.hash, bytes: got.bytes };
  }

  /** What the technician's process has received so far (bytes and hash). */
  async function received(technician: EndpointProcess) {
    const at = technician.events.length;
    technician.send({ cmd: 'report' });
    return technician.waitFor((e) => e.ev === 'received', 5000, 'a report', at);
  }

  it('(1) upgrades to a direct data channel; the server then relays none of the data', async () => {
    const { customer, technician, srv } = await session({ direct: true });
    await Promise.all([customer.waitFor(isPath('direct'), 30_000, 'path direct'), technician.waitFor(isPath('direct'), 30_000, 'path direct')]);
    const before = srv.relayMeter.bytes;
    const r = await stream(customer, technician, 256, 32 * 1024);
    expect(r.bytes).toBe(256 * 32 * 1024);
    expect(r.got).toBe(r.sent);
    expect(srv.relayMeter.bytes - before, 'bytes the server relayed while 8 MiB flowed').toBe(0);
  });

  it('(2) with no direct path between the namespaces it goes through a real coturn (selected pair: relay)', async () => {
    const { customer, technician, srv } = await session({ direct: false, coturn: 'running' });
    await Promise.all([customer.waitFor(isPath('turn'), 30_000, 'path via TURN'), technician.waitFor(isPath('turn'), 30_000, 'path via TURN')]);
    expect(customer.events.some(isPath('direct')) || technician.events.some(isPath('direct'))).toBe(false);
    expect(turn!.allocations(), `coturn granted allocations:\n${turn!.output().slice(-3000)}`).toBeGreaterThan(0);
    const before = srv.relayMeter.bytes;
    const r = await stream(customer, technician, 64, 32 * 1024);
    expect(r.got).toBe(r.sent);
    expect(srv.relayMeter.bytes - before).toBe(0);
  });

  it('(2b) TURN over TCP (a network that lets no UDP out): the same relay through coturn, data intact', async () => {
    const { customer, technician, srv } = await session({ direct: false, coturn: 'running', turnOver: 'tcp' });
    await Promise.all([customer.waitFor(isPath('turn'), 30_000, 'path via TURN'), technician.waitFor(isPath('turn'), 30_000, 'path via TURN')]);
    // the customer (werift) reached coturn over TCP
    expect(turn!.output()).toContain(`tcp or tls connected to: ${lab!.customer.addr}:`);
    expect(turn!.allocations()).toBeGreaterThan(0);
    const before = srv.relayMeter.bytes;
    const r = await stream(customer, technician, 64, 32 * 1024);
    expect(r.got).toBe(r.sent);
    expect(srv.relayMeter.bytes - before).toBe(0);
  });

  it('(3) with no direct path and coturn stopped it stays on the relay, data intact', async () => {
    const { customer, technician, srv } = await session({ direct: false, coturn: 'stopped', childEnv: { OPEN_TIMEOUT_MS: '6000' } });
    const ended = await technician.waitFor((e) => e.ev === 'attempt-ended', 30_000, 'the attempt to give up');
    expect(['timeout', 'failed']).toContain(ended.reason);
    const before = srv.relayMeter.bytes;
    const r = await stream(customer, technician, 64, 32 * 1024);
    expect(r.got).toBe(r.sent);
    expect(srv.relayMeter.bytes - before).toBeGreaterThan(64 * 32 * 1024);
    for (const e of [customer, technician]) expect(e.events.filter((x) => x.ev === 'path')).toEqual([]);
  });

  it('(4) the direct path breaks mid-stream (veth down): falls back to the relay, nothing lost', async () => {
    const { customer, technician, srv } = await session({ direct: true });
    await Promise.all([customer.waitFor(isPath('direct'), 30_000, 'path direct'), technician.waitFor(isPath('direct'), 30_000, 'path direct')]);
    const before = srv.relayMeter.bytes;
    const r = await stream(customer, technician, 600, 16 * 1024, 10, async () => {
      // mid-stream: a sixth of it has arrived over the direct path
      await vi.waitFor(async () => expect((await received(technician)).bytes, 'the stream flows').toBeGreaterThanOrEqual(100 * 16 * 1024), { timeout: 30_000, interval: 100 });
      lab!.setDirect(false);
    });
    expect(r.got).toBe(r.sent);
    for (const e of [customer, technician]) await e.waitFor(isPath('relayed'), 30_000, 'path relayed');
    expect(srv.relayMeter.bytes - before, 'the rest went through the server').toBeGreaterThan(1024 * 1024);
    expect(technician.events.some((e) => e.ev === 'ended')).toBe(false);
  });
});
