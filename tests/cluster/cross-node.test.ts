import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectError } from '@fernhilfe/client';
import { startCutProxy } from '../support/cut-proxy.js';
import { startClusterEnv, startNode, type ClusterEnv, type ClusterNode } from './fixture.js';
import { untilResumeReady } from '../support/resume-ready.js';
import { pairAcross, stream, tapBus, within } from './kit.js';

/**
 * Two nodes on one real Redis and one real PostgreSQL, on loopback: sessions whose customer and
 * technician are on different nodes, tickets and back-off shared between nodes, resume through
 * another node.
 */
describe('several nodes on Redis: sessions across nodes', () => {
  let env: ClusterEnv;
  let a: ClusterNode;
  let b: ClusterNode;

  beforeAll(async () => {
    env = await startClusterEnv();
    // a long first back-off step, so that the shared back-off is still running when the test looks
    a = await startNode(env, 'node-a', { createUser: true, env: { BACKOFF_BASE_MS: '10000' } });
    b = await startNode(env, 'node-b', { env: { BACKOFF_BASE_MS: '10000' } });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await env?.close();
  });

  it('a customer on node A and a technician on node B get a session; 3 MiB each way arrive intact, and the bus carries only ciphertext', async () => {
    const bus = await tapBus(env.redis.url);
    const { customer, techSession, custSession } = await pairAcross(a, b);
    const marker = Buffer.from(`plaintext-marker-${randomBytes(8).toString('hex')}`);
    const [t2c, c2t] = await Promise.all([stream(techSession, custSession, 3 << 20, 64 * 1024, marker), stream(custSession, techSession, 3 << 20, 64 * 1024, marker)]);
    expect(t2c.received).toBe(3 << 20);
    expect(t2c.got).toBe(t2c.sent);
    expect(c2t.got).toBe(c2t.sent);

    // chat both ways too
    const chat = custSession.once('control');
    await techSession.sendControl({ type: 'chat', text: 'Hallo über zwei Knoten' });
    expect(await within(chat, 5000, 'chat')).toEqual({ type: 'chat', text: 'Hallo über zwei Knoten' });

    // everything crossed the bus (6 MiB and more), and none of it in the clear
    expect(bus.bytes()).toBeGreaterThan(6 << 20);
    expect(bus.contains(marker)).toBe(false);
    expect(bus.contains(Buffer.from('Hallo über zwei Knoten'))).toBe(false);
    await bus.close();

    // the technician's end reaches the customer on the other node
    const ended = customer.once('ended');
    await techSession.end();
    expect(await within(ended, 5000, "the customer's end")).toMatchObject({ by: 'technician', reason: 'ended-by-technician' });
    expect(a.logText()).toMatch(/"customerId":"\d{9}".*"msg":"session authenticated"/);
    expect(b.logText()).toMatch(/connection handed to its home node/);
  });

  it('a ticket from node A opens the technician WebSocket on node B, once', async () => {
    const api = await a.api();
    const ticketUrl = await api.technicianUrl();
    const onB = b.wsUrl + ticketUrl.slice(ticketUrl.indexOf('/ws/'));
    const { customer, techSession } = await pairAcross(b, b, { ticketFrom: a });
    expect(techSession.isOpen).toBe(true);
    await techSession.end();
    await within(customer.once('ended'), 5000, 'the end');

    // single use across nodes: the same ticket works on one node only
    const { TechnicianEndpoint } = await import('@fernhilfe/client');
    const { nodeTransport } = await import('../support/server.js');
    const first = await TechnicianEndpoint.open({ url: onB, transport: nodeTransport });
    await expect(TechnicianEndpoint.open({ url: a.wsUrl + ticketUrl.slice(ticketUrl.indexOf('/ws/')), transport: nodeTransport })).rejects.toThrow();
    first.close();
  });

  it('the back-off of an ID counts on every node: a failure through node A makes node B ask to wait', async () => {
    const unknownId = '123456789';
    const onA = await a.technician();
    const onB = await b.technician();
    const failed = await onA.connect(unknownId, 'abcdefg').then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failed).toBeInstanceOf(ConnectError);
    expect((failed as ConnectError).reason).toBe('wrong-credentials');
    onA.close();

    const second = await onB.connect(unknownId, 'abcdefg').then(
      () => undefined,
      (err: unknown) => err,
    );
    expect((second as ConnectError).reason).toBe('rate-limited');
    // about the 10 s the failure on node A started, not a fresh count on node B
    expect((second as ConnectError).retryAfterMs).toBeGreaterThan(5000);
    onB.close();
  });

  it('after a failed attempt on a customer of node A, the same technician connection (on node B) reaches a customer of node B', async () => {
    const onA = await a.customer();
    const onB = await b.customer();
    const tech = await b.technician();
    const wrong = await tech.connect(onA.id, onA.password === 'aaaaaaa' ? 'bbbbbbb' : 'aaaaaaa').then(
      () => undefined,
      (err: unknown) => err,
    );
    expect((wrong as ConnectError).reason).toBe('wrong-credentials');
    // handed to A for the first ID; handed back (redirect) for the second, whose home is B itself
    const custSession = onB.once('session');
    const techSession = await within(tech.connect(onB.id, onB.password!), 10_000, 'the second attempt');
    expect(techSession.sas).toBe((await within(custSession, 5000, "the customer's session")).sas);
    await techSession.end();
    await onA.end();
  });

  it('a technician whose connection to node A drops resumes through node B (handed to A, the home); the session goes on', async () => {
    await using proxy = await startCutProxy(a.url);
    const { techSession, custSession } = await pairAcross(a, a, { via: proxy.url, reconnectTo: () => b });
    const handOffsBefore = countMatches(b.logText(), /connection handed to its home node/g);
    await untilResumeReady(proxy, ['technician']); // the technician's resume key is confirmed
    const reconnected = Promise.all([techSession.once('reconnected'), custSession.once('reconnected')]);
    expect(proxy.cut('technician')).toBeGreaterThan(0);
    await within(reconnected, 10_000, 'the resume through node B');
    const got = custSession.once('control');
    await techSession.sendControl({ type: 'chat', text: 'wieder da' });
    expect(await within(got, 5000, 'chat after the resume')).toEqual({ type: 'chat', text: 'wieder da' });
    expect(techSession.isOpen && custSession.isOpen).toBe(true);
    expect(countMatches(b.logText(), /connection handed to its home node/g)).toBe(handOffsBefore + 1);
    await techSession.end();
  });
});

const countMatches = (text: string, re: RegExp) => (text.match(re) ?? []).length;
