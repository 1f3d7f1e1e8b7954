import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveSession } from '@fernhilfe/protocol';
import { HttpSession } from '../server/http-session.js';
import { TECH_LOGIN } from '../support/server.js';
import { startClusterEnv, startNode, type ClusterEnv, type ClusterNode } from './fixture.js';
import { pairAcross, within } from './kit.js';

const ADMIN = { login: 'chefin', password: 'the admin password 1' };

/**
 * Two nodes on one real Redis and PostgreSQL: the admins' live view lists the sessions of both
 * nodes, ends one held by the other node, and disabling an account on node A ends its session held
 * on node B (docs/accounts.md).
 */
describe('live sessions and disabling across nodes', () => {
  let env: ClusterEnv;
  let a: Awaited<ReturnType<typeof startNode>>;
  let b: ClusterNode;

  beforeAll(async () => {
    env = await startClusterEnv();
    a = await startNode(env, 'node-a', { createUser: true });
    b = await startNode(env, 'node-b');
    await a.server.accounts.createUser({ login: ADMIN.login, password: ADMIN.password, role: 'admin', displayName: 'Clara Chefin', company: '' });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await env?.close();
  });

  it('lists the sessions of both nodes on either; an admin on A ends one held on B; disabling on A ends the session held on B at once', async () => {
    const onB = await pairAcross(b, a); // customer on B (the session lives there), technician on A
    const onA = await pairAcross(a, a);
    const admin = new HttpSession(a.url);
    expect((await admin.login(ADMIN.login, ADMIN.password)).status).toBe(200);
    const list = async (session = admin) => {
      const reply = await session.call('GET', '/api/admin/live-sessions');
      expect(reply.status).toBe(200);
      return reply.body as { sessions: LiveSession[]; missingNodes: number };
    };
    const where = (sessions: LiveSession[]) => Object.fromEntries(sessions.map((s) => [s.customerId, s.node]));
    const first = await list();
    expect(first.missingNodes).toBe(0);
    expect(where(first.sessions)).toEqual({ [onB.customer.id]: 'node-b', [onA.customer.id]: 'node-a' });
    expect(first.sessions.every((s) => s.technician.displayName === 'Max Mustermann' && s.since > 0)).toBe(true);
    // node B's view is the same
    const adminOnB = new HttpSession(b.url);
    expect((await adminOnB.login(ADMIN.login, ADMIN.password)).status).toBe(200);
    expect(where((await list(adminOnB)).sessions)).toEqual(where(first.sessions));

    // ended by an admin on A, held on B: both ends hear why
    const techEnded = onB.techSession.once('ended');
    const custEnded = onB.custSession.once('ended');
    expect((await admin.call('POST', `/api/admin/live-sessions/${onB.customer.id}/end`, { body: {} })).status).toBe(204);
    expect(await within(techEnded, 5000, 'the technician told')).toMatchObject({ reason: 'ended-by-admin' });
    expect(await within(custEnded, 5000, 'the customer told')).toMatchObject({ reason: 'ended-by-admin' });
    expect(Object.keys(where((await list()).sessions))).toEqual([onA.customer.id]);
    expect((await admin.call('POST', `/api/admin/live-sessions/${onB.customer.id}/end`, { body: {} })).status).toBe(404);

    // the technician's next session is held on B again; disabling on A ends it there, and the one on A
    const again = await pairAcross(b, b);
    const ends = [again.techSession.once('ended'), again.custSession.once('ended'), onA.techSession.once('ended'), onA.custSession.once('ended')];
    const maxId = ((await admin.call('GET', '/api/admin/accounts')).body as { accounts: { id: string; login: string }[] }).accounts.find((x) => x.login === TECH_LOGIN)!.id;
    expect((await admin.call('POST', `/api/admin/accounts/${maxId}/disable`, { body: {} })).status).toBe(200);
    for (const end of await within(Promise.all(ends), 5000, 'every end told')) expect(end).toMatchObject({ reason: 'account-disabled' });
    expect((await list()).sessions).toEqual([]);
  }, 60_000);
});
