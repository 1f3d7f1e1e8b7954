import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { CustomerEndpoint, TechnicianEndpoint, webSocketTransport, type SecureSession, type WebSocketLike } from '@fernhilfe/client';
import { ApiClient } from '@fernhilfe/protocol';
import { numberedStream, watch, within } from '../support/resume-kit.js';
import { nodeTransport, TECH_LOGIN, TECH_PASSWORD } from '../support/server.js';
import { podman } from './podman.js';
import { startStack, stopwatch, type Stack } from './stack.js';

/**
 * Issue 22, "upgrades without dropped sessions", on the compose stack: node 1 holds a session whose
 * customer is connected to it and whose technician is on node 2; node 1's container stops (SIGTERM,
 * as in a rolling upgrade) or is killed. Both ends must resume through node 2 within the grace
 * period, and every message of a numbered stream in each direction must arrive exactly once, in order.
 *
 * The resuming itself is built in packages/server/src/cluster by the "sessions survive a node"
 * change; on a branch without it this file fails (the session ends with server-shutdown /
 * server-node-lost), which is the point of keeping it apart from compose-stack.test.ts.
 */
const COUNT = 300;
const INTERVAL_MS = 20;

describe('compose stack: node 1 goes away during a session', () => {
  const clock = stopwatch();
  let stack: Stack;

  beforeAll(async () => {
    ({ stack } = await startStack(clock.lap));
  }, 60 * 60_000);

  afterAll(async () => {
    await stack?.destroy();
    clock.report('test:containers (node loss)');
  }, 5 * 60_000);

  /** A customer registered on node 1 whose reconnects go to node 2 (what Caddy does once node 1 is gone), and a technician on node 2. */
  async function sessionHomedOnNode1() {
    const node1 = stack.node1.wsUrl;
    const node2 = stack.node2.wsUrl;
    let connects = 0;
    const transport = webSocketTransport((url) => new WebSocket(connects++ === 0 ? url : url.replace(node1, node2)) as unknown as WebSocketLike);
    const terms = ((await (await fetch(`${stack.node1.url}/api/terms`)).json()) as { version: string }).version;
    const customer = await CustomerEndpoint.open({ url: `${node1}/ws/customer`, transport, termsVersion: terms, language: 'de', capabilities: ['screen', 'chat'] });
    const api = new ApiClient(stack.node2.url);
    await api.login(TECH_LOGIN, TECH_PASSWORD);
    const onNode2 = async () => {
      const ticketUrl = await api.technicianUrl();
      return node2 + ticketUrl.slice(ticketUrl.indexOf('/ws/'));
    };
    const tech = await TechnicianEndpoint.open({ url: await onNode2(), reconnectUrl: onNode2, transport: nodeTransport });
    const custSessionP = customer.once('session');
    const techSession = await within(tech.connect(customer.id, customer.password!), 20_000, 'the session');
    const custSession = await within(custSessionP, 20_000, "the customer's session");
    return { techSession, custSession };
  }

  async function survives(action: 'stop' | 'kill', techSession: SecureSession, custSession: SecureSession) {
    const ended: unknown[] = [];
    techSession.on('ended', (e) => void ended.push(e));
    custSession.on('ended', (e) => void ended.push(e));
    const seen = [watch(techSession), watch(custSession)];
    const t2c = numberedStream(techSession, custSession, COUNT, INTERVAL_MS);
    const c2t = numberedStream(custSession, techSession, COUNT, INTERVAL_MS);
    await expect.poll(() => Math.min(t2c.got.length, c2t.got.length), { timeout: 20_000 }).toBeGreaterThan(30);

    await podman(action === 'stop' ? ['stop', '-t', '20', stack.container('node-1')] : ['kill', stack.container('node-1')]);
    await Promise.all([t2c.done, c2t.done]);
    const all = Array.from({ length: COUNT }, (_, i) => i);
    await vi.waitFor(() => expect({ ended, t2c: t2c.got, c2t: c2t.got }).toEqual({ ended: [], t2c: all, c2t: all }), { timeout: 60_000, interval: 200 });
    expect(t2c.errors.concat(c2t.errors)).toEqual([]);
    // both ends really lost node 1 and came back
    for (const s of seen) expect(s.reconnected).toBeGreaterThanOrEqual(1);
  }

  it('podman stop node-1 (SIGTERM, a rolling upgrade): both ends resume through node 2, every message exactly once', async () => {
    const { techSession, custSession } = await sessionHomedOnNode1();
    await survives('stop', techSession, custSession);
    await techSession.end();
  }, 5 * 60_000);

  it('podman kill node-1 (SIGKILL, no goodbye): both ends resume through node 2, every message exactly once', async () => {
    await podman(['start', stack.container('node-1')]);
    await stack.ready();
    const { techSession, custSession } = await sessionHomedOnNode1();
    await survives('kill', techSession, custSession);
    await techSession.end();
  }, 5 * 60_000);
});
