import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogicalChannel } from '@fernhilfe/protocol';
import type { RunningServer } from '@fernhilfe/server';
import { scrape } from '../support/prometheus.js';
import { startClusterEnv, startNode, type ClusterEnv, type ClusterNode } from './fixture.js';
import { pairAcross, within } from './kit.js';

/** Two nodes on one Redis and one PostgreSQL, each with its own metrics port: each scrape is its own node's. */
describe('several nodes: /metrics per node', () => {
  let env: ClusterEnv;
  let a: ClusterNode & { server: RunningServer };
  let b: ClusterNode & { server: RunningServer };

  beforeAll(async () => {
    env = await startClusterEnv();
    a = await startNode(env, 'node-a', { createUser: true, env: { METRICS_PORT: '0' } });
    b = await startNode(env, 'node-b', { env: { METRICS_PORT: '0' } });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await env?.close();
  });

  const scrapeOf = (node: { server: RunningServer }) => scrape(`${node.server.metrics!.endpoint.url!}/metrics`);

  it("labels every series with its node's NODE_ID; a cross-node session counts on its home node", async () => {
    // the customer registers on node A (the session's home), the technician's WebSocket is on node B
    const { customer, techSession, custSession } = await pairAcross(a, b);
    const arrived = techSession.once('data');
    await custSession.sendData(LogicalChannel.video, new Uint8Array(randomBytes(100_000)));
    await within(arrived, 10_000, 'the data across nodes');

    const [onA, onB] = await Promise.all([scrapeOf(a), scrapeOf(b)]);
    for (const [s, name] of [[onA, 'node-a'], [onB, 'node-b']] as const) {
      expect(s.status).toBe(200);
      const samples = s.text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
      expect(samples.length).toBeGreaterThan(20);
      expect(samples.filter((line) => !line.includes(`node="${name}"`))).toEqual([]);
      expect(s.value('fernhilfe_sessions_started_total', { node: name })).toBeDefined();
    }
    expect(onA.value('fernhilfe_registrations_total')).toBe(1);
    expect(onA.value('fernhilfe_sessions_started_total')).toBe(1);
    expect(onA.value('fernhilfe_sessions_active')).toBe(1);
    expect(onA.value('fernhilfe_relay_bytes_total', { direction: 'customer_to_technician' })).toBeGreaterThan(100_000);
    expect(onB.value('fernhilfe_registrations_total')).toBe(0);
    expect(onB.value('fernhilfe_sessions_started_total')).toBe(0);
    expect(onB.value('fernhilfe_sessions_active')).toBe(0);

    const ended = customer.once('ended');
    await techSession.end();
    await within(ended, 5000, "the customer's end");
    await expect.poll(async () => (await scrapeOf(a)).value('fernhilfe_sessions_ended_total')).toBe(1);
    expect((await scrapeOf(b)).value('fernhilfe_sessions_ended_total')).toBe(0);
  });
});
