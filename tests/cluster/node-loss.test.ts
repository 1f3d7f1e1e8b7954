import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectError } from '@fernhilfe/client';
import { buildOnce } from '../support/processes.js';
import { NODE_TTL_MS, startClusterEnv, startNode, startNodeProcess, type ClusterEnv, type ClusterNode } from './fixture.js';
import { pairAcross, within } from './kit.js';

/**
 * A node that dies (SIGKILL: no goodbye) ends the sessions that cannot move (a side without a resume
 * key) with a clear reason for the people on other nodes, IDs it held reach nobody, and the other
 * nodes carry on.
 */
describe('several nodes on Redis: a node dies', () => {
  let env: ClusterEnv;
  let a: ClusterNode;
  let b: ClusterNode;
  let c: Awaited<ReturnType<typeof startNodeProcess>>;

  beforeAll(async () => {
    buildOnce(); // node C runs the compiled `fernhilfe start`
    env = await startClusterEnv();
    a = await startNode(env, 'node-a', { createUser: true });
    b = await startNode(env, 'node-b');
    c = await startNodeProcess(env, 'node-c');
  }, 300_000);
  afterAll(async () => {
    await c?.close();
    await b?.close();
    await a?.close();
    await env?.close();
  });

  it('killing node C ends its session that cannot move for the technician on node A with server-node-lost; the session between A and B goes on; C’s waiting ID reaches nobody', async () => {
    // home: C, technician on A without a resume key: this session cannot move to another node
    // (failover.test.ts shows the sessions that can)
    const onC = await pairAcross(c, a, { noResume: true });
    const aToB = await pairAcross(a, b); // home: A, technician on B
    const waitingOnC = await c.customer();

    const techEnded = onC.techSession.once('ended');
    const killedAt = Date.now();
    await c.kill();

    const end = await within(techEnded, NODE_TTL_MS * 4 + 3000, 'the technician to hear that node C is gone');
    expect(end).toMatchObject({ by: 'server', reason: 'server-node-lost' });
    // found by the heartbeat: at most about one TTL plus a beat after the kill
    expect(Date.now() - killedAt).toBeLessThan(NODE_TTL_MS * 4 + 3000);
    expect(a.logText()).toMatch(/a cluster node stopped beating: ending its links/);

    // the session between the live nodes is untouched
    const got = aToB.custSession.once('control');
    await aToB.techSession.sendControl({ type: 'chat', text: 'noch da?' });
    expect(await within(got, 5000, 'chat between A and B')).toEqual({ type: 'chat', text: 'noch da?' });
    expect(aToB.techSession.isOpen && aToB.custSession.isOpen).toBe(true);

    // the ID that waited on C: the customer is gone, said plainly (and never a hang)
    const tech = await a.technician();
    const err = await within(
      tech.connect(waitingOnC.id, waitingOnC.password!).then(
        () => undefined,
        (e: unknown) => e,
      ),
      10_000,
      'the answer for an ID of the dead node',
    );
    expect(err).toBeInstanceOf(ConnectError);
    expect((err as ConnectError).reason).toBe('customer-left');
    tech.close();

    // new sessions go to the live nodes
    const fresh = await pairAcross(b, a);
    expect(fresh.techSession.isOpen).toBe(true);
    await fresh.techSession.end();
    await aToB.techSession.end();
  });
});
