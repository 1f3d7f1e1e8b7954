import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { TechnicianEndpoint, type ConnectError } from '@fernhilfe/client';
import { auditDb } from '@fernhilfe/server';
import { buildOnce } from '../support/processes.js';
import { numberedStream, roundTrip, within } from '../support/resume-kit.js';
import { nodeTransport } from '../support/server.js';
import { startBalancer, type Balancer } from './balancer.js';
import { range, resumeWithWrongKey, sessionBehind } from './failover-kit.js';
import { startClusterEnv, startNode, startNodeProcess, type ClusterEnv, type ClusterNode } from './fixture.js';

/**
 * Sessions survive a node (issue 22; docs/deployment.md, "Sessions that survive a node"): real node
 * processes on one Redis and one PostgreSQL behind a TCP balancer that checks `/healthz`, as an
 * operator runs them. A node that is stopped (SIGTERM: drained) or killed (SIGKILL) during a session
 * with numbered messages in flight both ways: both ends resume through another node within the grace
 * period, which adopts the session (proofs checked against the keys in Redis), and every message
 * arrives exactly once, in order; the audit log keeps one session with a line that it moved.
 */
const GRACE_MS = 20_000;
const NODE_ENV = { RESUME_GRACE_MS: String(GRACE_MS), DRAIN_TIMEOUT_MS: '15000' };
type ProcNode = Awaited<ReturnType<typeof startNodeProcess>>;

describe('sessions survive a node', () => {
  let env: ClusterEnv;
  let seed: Awaited<ReturnType<typeof startNode>>;
  let lb: Balancer;
  const started: ProcNode[] = [];

  const nodes = async (...names: string[]) => {
    const up = await Promise.all(names.map((name) => startNodeProcess(env, name, NODE_ENV)));
    started.push(...up);
    return up;
  };
  const audit = async (customerId: string) => {
    const db = seed.server.database.db;
    const rows = await db.selectFrom('support_sessions').select('id').where('customer_id', '=', customerId).execute();
    const entries = rows.length === 1 ? await auditDb(db).selectFrom('audit_log').select(['event', 'data']).where('session_id', '=', rows[0]!.id).orderBy('seq').execute() : [];
    return { sessions: rows.length, events: entries.map((e) => e.event), moved: entries.filter((e) => e.event === 'session-moved').map((e) => JSON.parse(e.data) as Record<string, string>) };
  };
  const untilEnded = (customerId: string) =>
    vi.waitFor(async () => expect((await audit(customerId)).events).toContain('session-ended'), { timeout: 10_000, interval: 100 });
  const sessionsOf = (n: ClusterNode) => (n.logText().match(/session adopted from another node/g) ?? []).length;

  beforeAll(async () => {
    buildOnce(); // the nodes run the compiled `fernhilfe start`, so that a test can SIGTERM or SIGKILL one
    env = await startClusterEnv();
    seed = await startNode(env, 'seed', { createUser: true }); // the account; not behind the balancer
    lb = await startBalancer([]);
  }, 300_000);
  afterAll(async () => {
    await lb?.close();
    for (const n of started) await n.close();
    await seed?.close();
    await env?.close();
  });

  it('SIGTERM of the home node (customer on A, technician on B) with numbered messages in flight both ways: both resume through B, every message once and in order; one session on record, moved; its receipt verifies; a wrong key is refused after the move; after the end the pair is dead', async () => {
    const [a, b] = await nodes('node-a', 'node-b');
    lb.setNodes([a!.url, b!.url]);
    const s = await sessionBehind(lb, env, a!, b!);
    // what Redis holds for another node: public values and bookkeeping, nothing secret
    expect(Object.keys(s.shared).sort()).toEqual(['home', 'key:customer', 'key:technician', 'path', 'sessionId', 'since', 'technician', 'technicianUserId']);
    expect(JSON.stringify(s.shared)).not.toContain(s.password);
    const toCustomer = numberedStream(s.techSession, s.custSession, 300, 10);
    const toTech = numberedStream(s.custSession, s.techSession, 300, 10);
    await vi.waitFor(() => expect(toCustomer.got.length).toBeGreaterThan(40), { timeout: 10_000, interval: 20 });

    const reconnected = Promise.all([s.custSession.once('reconnected'), s.techSession.once('reconnected')]);
    const exited = a!.process.stop(); // SIGTERM
    await within(reconnected, GRACE_MS, 'both ends to resume through node B');
    expect(await within(exited, 20_000, 'node A to stop'), 'node A exits cleanly').toBe(0);
    expect(a!.logText()).toMatch(/draining: every session moved/);
    expect(sessionsOf(b!)).toBe(1);

    await Promise.all([toCustomer.done, toTech.done]);
    await vi.waitFor(() => expect([toCustomer.got.length, toTech.got.length]).toEqual([300, 300]), { timeout: 20_000, interval: 50 });
    expect(toCustomer.got).toEqual(range(300));
    expect(toTech.got).toEqual(range(300));
    expect([...toCustomer.errors, ...toTech.errors]).toEqual([]);

    // a proof signed with another key is refused by the new home, and the session goes on
    const wrong = await resumeWithWrongKey(lb.wsUrl, s.id);
    expect(wrong.error).toMatchObject({ code: 'resume-refused' });
    await roundTrip(s.techSession, s.custSession, 'immer noch da');

    const ended = s.customer.once('ended');
    await s.techSession.end();
    expect(await within(ended, 5000, "the customer's end")).toMatchObject({ by: 'technician', reason: 'ended-by-technician' });
    await untilEnded(s.id);
    const record = await audit(s.id);
    expect(record.sessions).toBe(1);
    expect(record.moved).toEqual([{ from: 'node-a', to: 'node-b', why: 'drained' }]);
    expect(record.events.filter((e) => e === 'session-ended')).toHaveLength(1);

    // the customer's receipt lists the move and verifies
    const receipt = await fetch(`${lb.url}/receipt`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: s.customer.receiptToken }) });
    expect(receipt.status).toBe(200);
    const signed = (await receipt.json()) as { receipt: { events: { event: string }[]; session: { endReason: string | null } } };
    expect(signed.receipt.events.map((e) => e.event)).toContain('session-moved');
    expect(signed.receipt.session.endReason).toBe('ended-by-technician');
    const verdict = await fetch(`${lb.url}/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(signed) });
    expect(await verdict.json()).toEqual({ genuine: true, reason: 'genuine' });

    // no reuse: the ID and password reach nobody, and a resume is refused
    const again = await TechnicianEndpoint.open({ url: await ticketVia(lb, s.api), transport: nodeTransport });
    const err = await again.connect(s.id, s.password).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as ConnectError).reason).toBe('customer-left');
    again.close();
    expect((await resumeWithWrongKey(lb.wsUrl, s.id)).error).toMatchObject({ code: 'resume-refused' });
  });

  it('a drained node is not ready (/healthz 503) and takes no new WebSocket (503), so a balancer sends people elsewhere', async () => {
    const g = await startNode(env, 'node-g');
    try {
      expect((await fetch(`${g.url}/healthz`)).status).toBe(200);
      expect(await upgradeStatus(`${g.wsUrl}/ws/customer`)).toBeUndefined();
      await g.server.drain();
      const health = await fetch(`${g.url}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual({ status: 'draining' });
      expect(await upgradeStatus(`${g.wsUrl}/ws/customer`)).toBe(503);
    } finally {
      await g.close();
    }
  });

  it('SIGKILL of the home node (both ends on it): the other node notices and adopts the session when both come back; every message once and in order', async () => {
    const [c, d] = await nodes('node-c', 'node-d');
    lb.setNodes([c!.url, d!.url]);
    const s = await sessionBehind(lb, env, c!, c!);
    const toCustomer = numberedStream(s.techSession, s.custSession, 200, 10);
    await vi.waitFor(() => expect(toCustomer.got.length).toBeGreaterThan(40), { timeout: 10_000, interval: 20 });
    const reconnected = Promise.all([s.custSession.once('reconnected'), s.techSession.once('reconnected')]);
    await c!.kill();
    await within(reconnected, GRACE_MS, 'both ends to resume through node D');
    await toCustomer.done;
    await vi.waitFor(() => expect(toCustomer.got.length).toBe(200), { timeout: 20_000, interval: 50 });
    expect(toCustomer.got).toEqual(range(200));
    expect(toCustomer.errors).toEqual([]);
    await s.techSession.end();
    await untilEnded(s.id);
    expect((await audit(s.id)).moved).toEqual([{ from: 'node-c', to: 'node-d', why: 'node-lost' }]);
  });

  it('a rolling restart of all nodes (E, then F) drops nothing: the session moves twice, every message once and in order', async () => {
    const [e, f] = await nodes('node-e', 'node-f');
    lb.setNodes([e!.url, f!.url]);
    const s = await sessionBehind(lb, env, e!, f!);
    const toCustomer = numberedStream(s.techSession, s.custSession, 2000, 10);
    const toTech = numberedStream(s.custSession, s.techSession, 2000, 10);
    await vi.waitFor(() => expect(toCustomer.got.length).toBeGreaterThan(40), { timeout: 10_000, interval: 20 });

    const restart = async (old: ProcNode, keep: ProcNode) => {
      const reconnected = Promise.all([s.custSession.once('reconnected'), s.techSession.once('reconnected')]);
      expect(await within(old.process.stop(), 20_000, `${old.name} to stop`)).toBe(0);
      await within(reconnected, GRACE_MS, `both ends to resume after ${old.name} stopped`);
      const [fresh] = await nodes(old.name); // the upgraded node, same NODE_ID
      lb.setNodes([keep.url, fresh!.url]);
      return fresh!;
    };
    const e2 = await restart(e!, f!);
    const during = toCustomer.got.length;
    await restart(f!, e2);
    expect(during, 'the stream was still running when the second node stopped').toBeLessThan(2000);

    await Promise.all([toCustomer.done, toTech.done]);
    await vi.waitFor(() => expect([toCustomer.got.length, toTech.got.length]).toEqual([2000, 2000]), { timeout: 30_000, interval: 50 });
    expect(toCustomer.got).toEqual(range(2000));
    expect(toTech.got).toEqual(range(2000));
    await s.techSession.end();
    await untilEnded(s.id);
    expect((await audit(s.id)).moved).toEqual([
      { from: 'node-e', to: 'node-f', why: 'drained' },
      { from: 'node-f', to: 'node-e', why: 'drained' },
    ]);
  });
});

/** The HTTP status of a WebSocket upgrade that is refused (undefined when it is accepted). */
function upgradeStatus(url: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('unexpected-response', (_req, res) => (resolve(res.statusCode), ws.terminate()));
    ws.once('open', () => (resolve(undefined), ws.close()));
    ws.once('error', (err) => reject(err));
  });
}

async function ticketVia(lb: Balancer, api: { technicianUrl(): Promise<string> }): Promise<string> {
  const t = await api.technicianUrl();
  return lb.wsUrl + t.slice(t.indexOf('/ws/'));
}
