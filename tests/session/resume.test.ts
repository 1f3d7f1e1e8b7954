import { connect as tcpConnect } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { ConnectError, type SessionEnd } from '@fernhilfe/client';
import { ApiClient, FrameKind, PeerType, fromHex, signResumeProof, toHex, type Frame } from '@fernhilfe/protocol';
import { controlMessages, protocolFrames, startCutProxy } from '../support/cut-proxy.js';
import { isSealed, sealedSeq, startHostileProxy } from '../support/hostile-proxy.js';
import { capturedResume, cutAndWait, establish, numberedStream, rawConnection, roundTrip, watch, within, wsBase } from '../support/resume-kit.js';
import { startTestServer } from '../support/server.js';

describe('a session survives network drops', () => {
  it('2000 numbered messages each way arrive exactly once and in order while the customer, then the technician, then both are cut off for 3 s', async () => {
    await using srv = await startTestServer();
    await using proxy = await startCutProxy(srv.url);
    const { customer, techSession, custSession, sessions } = await establish(srv, proxy);
    const sas = techSession.sas;
    const techSeen = watch(techSession);
    const custSeen = watch(custSession);

    const COUNT = 2000;
    const t2c = numberedStream(techSession, custSession, COUNT, 6);
    const c2t = numberedStream(custSession, techSession, COUNT, 6);

    await flowing([t2c, c2t], 100, COUNT);
    await cutAndWait(proxy, 'customer', 3000, [techSession, custSession]);
    await flowing([t2c, c2t], 60, COUNT);
    await cutAndWait(proxy, 'technician', 3000, [techSession, custSession]);
    await flowing([t2c, c2t], 60, COUNT);
    await cutAndWait(proxy, 'both', 3000, [techSession, custSession]);
    await Promise.all([t2c.done, c2t.done]);

    const all = Array.from({ length: COUNT }, (_, i) => i);
    await allArrived([t2c, c2t], COUNT, 15_000);
    expect(t2c.errors).toEqual([]);
    expect(c2t.errors).toEqual([]);
    expect(t2c.got).toEqual(all);
    expect(c2t.got).toEqual(all);

    // the same session all along: no new password, no second session, both still open
    expect(techSession.isOpen && custSession.isOpen).toBe(true);
    expect(customer.password).toBeUndefined();
    expect(sessions).toHaveLength(1);
    expect(custSession.sas).toBe(sas);
    // each cut was seen by both ends: their own connection, or the peer's
    expect(custSeen.lost).toEqual(['local', 'peer', 'local']);
    expect(techSeen.lost).toEqual(['peer', 'local', 'local']);
    expect(custSeen.reconnected).toBe(3);
    expect(techSeen.reconnected).toBe(3);
    // 2 connections at the start, one resume per cut side (a blocked attempt is refused by the proxy)
    expect(proxy.connections().filter((c) => controlMessages(c.endpointFrames()).some((m) => m.type === 'resume'))).toHaveLength(4);
    // retransmission really happened: some frame went out twice on the wire (which side's frames were
    // in flight at a cut depends on timing, so the count is over both sides)
    const resent = (['customer', 'technician'] as const).map((side) => {
      const seqs = proxy.connections(side).flatMap((c) => c.endpointFrames().filter(isSealed).map(sealedSeq));
      return seqs.length - new Set(seqs).size;
    });
    expect(resent[0]! + resent[1]!, `frames sent again (customer, technician): ${resent.join(', ')}`).toBeGreaterThan(0);
    await roundTrip(techSession, custSession, 'still there');

    const ended = techSession.once('ended');
    await customer.end();
    expect(await within(ended, 5000, 'the end')).toMatchObject({ reason: 'ended-by-customer', by: 'customer' });
  });

  it('a half-open drop (the server does not notice; the endpoint resumes over a new connection that replaces it) loses and repeats nothing', async () => {
    await using srv = await startTestServer();
    await using proxy = await startCutProxy(srv.url);
    const { techSession, custSession } = await establish(srv, proxy);
    const COUNT = 1200;
    const t2c = numberedStream(techSession, custSession, COUNT, 4);
    const c2t = numberedStream(custSession, techSession, COUNT, 4);
    for (const side of ['customer', 'technician'] as const) {
      await flowing([t2c, c2t], 100, COUNT);
      const lost = (side === 'customer' ? custSession : techSession).once('connection-lost');
      const back = (side === 'customer' ? custSession : techSession).once('reconnected');
      proxy.block(400, side);
      expect(proxy.cut(side, { halfOpen: true })).toBe(1);
      expect(await within(lost, 2000, `${side}: connection-lost`)).toEqual({ side: 'local' });
      await within(back, 8000, `${side}: reconnected`);
    }
    await Promise.all([t2c.done, c2t.done]);
    await allArrived([t2c, c2t], COUNT, 10_000);
    const all = Array.from({ length: COUNT }, (_, i) => i);
    expect(t2c.got).toEqual(all);
    expect(c2t.got).toEqual(all);
    expect(t2c.errors.concat(c2t.errors)).toEqual([]);
    expect(techSession.isOpen && custSession.isOpen).toBe(true);
    await techSession.end();
  });

  it('a drop longer than the grace period ends the session for both with connection-lost; resumes and the old pair are refused', async () => {
    await using srv = await startTestServer({ RESUME_GRACE_MS: '1500' });
    await using proxy = await startCutProxy(srv.url);
    const keys = { customer: new Map<string, Buffer>(), technician: new Map<string, Buffer>() };
    const { customer, password, techSession, custSession } = await establish(srv, proxy, keys);
    const custLost = custSession.once('connection-lost');
    const techLost = techSession.once('connection-lost');
    const custEnded = custSession.once('ended');
    const techEnded = techSession.once('ended');

    const cutAt = Date.now();
    proxy.block(6000, 'customer');
    proxy.cut('customer');
    expect(await within(custLost, 2000, "the customer's connection-lost")).toEqual({ side: 'local' });
    expect(await within(techLost, 2000, "the technician's connection-lost")).toEqual({ side: 'peer' });
    expect(await within(techEnded, 5000, "the technician's end")).toEqual({ reason: 'connection-lost', by: 'server' } satisfies SessionEnd);
    expect(await within(custEnded, 5000, "the customer's end")).toMatchObject({ reason: 'connection-lost', by: 'local' });
    expect(Date.now() - cutAt).toBeGreaterThanOrEqual(1400);
    await within(customer.ended ? Promise.resolve(customer.ended) : customer.once('ended'), 1000, "the customer endpoint's end");
    expect(customer.ended?.reason).toBe('connection-lost');
    expect(srv.broker.liveRegistrations).toBe(0);

    // even a correctly signed resume (the key log has the seed) is refused now: the pairing is gone
    const seed = keys.customer.get('resume-seed-customer')!;
    const raw = await rawConnection(`${wsBase(srv)}/ws/customer`);
    raw.send({ type: 'resume', id: customer.id, role: 'customer' });
    const challenge = await raw.next('resume-challenge');
    expect(challenge).toBeDefined();
    raw.send({ type: 'resume-proof', signature: toHex(signResumeProof(seed, 'customer', customer.id, fromHex(String(challenge!.nonce)))) });
    expect(await raw.next('error')).toMatchObject({ code: 'resume-refused' });
    // having proven the key, it may learn why the session is over
    expect(raw.controls.find((m) => m.type === 'ended')).toEqual({ type: 'ended', by: 'server', reason: 'connection-lost' });
    expect(await within(raw.closed, 2000, 'the refused connection to close')).toBe(1008);

    // and the ID and password can never open a session again
    const again = await srv.technician();
    const err = await again.connect(customer.id, password).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectError);
    expect((err as ConnectError).reason).toBe('customer-left');
    again.close();
  });

  it('a captured resume proof, or a whole captured resume conversation, replayed by a third party is refused; the session goes on', async () => {
    await using srv = await startTestServer();
    await using proxy = await startCutProxy(srv.url);
    const keys = { customer: new Map<string, Buffer>(), technician: new Map<string, Buffer>() };
    const { customer, techSession, custSession } = await establish(srv, proxy, keys);
    await cutAndWait(proxy, 'customer', 300, [techSession, custSession]);
    await cutAndWait(proxy, 'technician', 300, [techSession, custSession]);
    const cust = capturedResume(proxy, 'customer');
    const tech = capturedResume(proxy, 'technician');
    expect(cust.resume).toEqual({ type: 'resume', id: customer.id, role: 'customer' });
    expect(String(cust.proof.signature)).toMatch(/^[0-9a-f]{128}$/);

    // 1. the customer's proof, after a fresh resume on a new raw WebSocket: the challenge differs
    const a = await rawConnection(`${wsBase(srv)}/ws/customer`);
    a.send(cust.resume);
    const fresh = await a.next('resume-challenge');
    expect(fresh?.nonce).toMatch(/^[0-9a-f]{64}$/);
    expect(fresh?.nonce).not.toBe(cust.challenge.nonce);
    a.send(cust.proof);
    expect(await a.next('error')).toMatchObject({ code: 'resume-refused' });
    expect(await within(a.closed, 2000, 'close')).toBe(1008);

    // 2. the technician's proof, with a fresh ticket of the same account
    const api = await srv.api();
    const b = await rawConnection(await api.technicianUrl());
    b.send(tech.resume);
    expect(await b.next('resume-challenge')).toBeDefined();
    b.send(tech.proof);
    expect(await b.next('error')).toMatchObject({ code: 'resume-refused' });

    // 3. the whole captured resume connection of the customer, byte for byte over TCP (upgrade and masked frames)
    const replay = tcpConnect(srv.port, '127.0.0.1');
    const answer: Buffer[] = [];
    replay.on('data', (d: Buffer) => answer.push(d));
    replay.on('error', () => undefined);
    const replayClosed = new Promise<void>((resolve) => replay.once('close', () => resolve()));
    replay.write(cust.conn.fromEndpoint());
    await within(replayClosed, 3000, 'the server to close the replayed conversation');
    const replayed = controlMessages(protocolFrames(Buffer.concat(answer), false));
    expect(replayed.map((m) => m.type)).toEqual(['resume-challenge', 'error']);
    expect(replayed[0]!.nonce).not.toBe(cust.challenge.nonce);
    expect(replayed[1]).toMatchObject({ code: 'resume-refused' });

    // 4. a valid proof for the technician's side, but on another account's ticket
    await srv.accounts.createUser({ login: 'erika', password: 'another long passphrase', role: 'technician', displayName: 'Erika', company: 'Beispiel GmbH' });
    const other = new ApiClient(srv.url);
    await other.login('erika', 'another long passphrase');
    const c = await rawConnection(await other.technicianUrl());
    c.send({ type: 'resume', id: customer.id, role: 'technician' });
    const ch = await c.next('resume-challenge');
    c.send({ type: 'resume-proof', signature: toHex(signResumeProof(keys.technician.get('resume-seed-technician')!, 'technician', customer.id, fromHex(String(ch!.nonce)))) });
    expect(await c.next('error')).toMatchObject({ code: 'resume-refused' });

    // none of it disturbed the session
    expect(techSession.isOpen && custSession.isOpen).toBe(true);
    await roundTrip(techSession, custSession, 'nach den Replays');
    await roundTrip(custSession, techSession, 'alles gut');
    await techSession.end();
  });

  it("the customer's End works while disconnected: it ends there at once, and the server is told as soon as it can be reached", async () => {
    await using srv = await startTestServer();
    await using proxy = await startCutProxy(srv.url);
    const { customer, techSession, custSession } = await establish(srv, proxy);
    const lost = custSession.once('connection-lost');
    const techEnded = techSession.once('ended');
    proxy.block(1500, 'customer');
    proxy.cut('customer');
    await within(lost, 2000, 'connection-lost');
    const before = Date.now();
    await customer.end();
    expect(Date.now() - before, 'End did not wait for the connection (blocked for 1.5 s)').toBeLessThan(1000);
    expect(customer.ended).toMatchObject({ reason: 'ended-by-customer', by: 'local' });
    expect(custSession.isOpen).toBe(false);
    expect(techSession.isOpen).toBe(true); // the server has not heard yet
    expect(await within(techEnded, 8000, "the technician's end")).toEqual({ reason: 'ended-by-customer', by: 'customer' } satisfies SessionEnd);
    expect(Date.now() - before).toBeGreaterThanOrEqual(1000); // after the block, well within the 30 s grace period
  });

  it('a side that was cut off when the other ended the session learns, on its resume, who ended it and why', async () => {
    await using srv = await startTestServer();
    await using proxy = await startCutProxy(srv.url);
    const { customer, techSession, custSession } = await establish(srv, proxy);
    const lost = custSession.once('connection-lost');
    const custEnded = custSession.once('ended');
    proxy.block(800, 'customer');
    proxy.cut('customer');
    await within(lost, 2000, 'connection-lost');
    await techSession.end();
    expect(techSession.endInfo).toMatchObject({ reason: 'ended-by-technician', by: 'local' });
    expect(await within(custEnded, 8000, "the customer's end")).toEqual({ reason: 'ended-by-technician', by: 'technician' } satisfies SessionEnd);
    expect(customer.ended).toMatchObject({ reason: 'ended-by-technician' });
  });

  it('a forged ACK (right format, wrong tag) injected by the relay ends the session as tampered', async () => {
    await using srv = await startTestServer();
    await using proxy = await startHostileProxy(srv.url);
    const customer = await srv.customer({ url: proxy.url });
    const tech = await srv.technician({ url: proxy.url });
    const custSessionP = customer.once('session');
    const techSession = await within(tech.connect(customer.id, customer.password!), 5000, 'the session');
    const custSession = await custSessionP;
    const techEnded = techSession.once('ended');
    const custEnded = custSession.once('ended');

    let injected = 0;
    proxy.hook('server->technician', (f) => {
      if (!isSealed(f) || injected > 0) return undefined;
      injected++;
      const forged = new Uint8Array(25);
      forged[0] = PeerType.ack;
      new DataView(forged.buffer).setBigUint64(1, 1n);
      crypto.getRandomValues(forged.subarray(9));
      return [f, { kind: FrameKind.peer, body: forged } satisfies Frame];
    });
    await custSession.sendControl({ type: 'chat', text: 'eins' });
    await techSession.sendControl({ type: 'chat', text: 'zwei' });
    expect(await within(techEnded, 5000, "the technician's end")).toMatchObject({ reason: 'tampered', by: 'local' });
    expect(await within(custEnded, 5000, "the customer's end")).toEqual({ reason: 'tampered', by: 'technician' } satisfies SessionEnd);
    expect(injected).toBe(1);
    expect(proxy.errors).toEqual([]);
  });
});

type Stream = { got: number[] };

/** Waits until each stream has delivered `n` more messages (at most all `count`): the next cut falls mid-stream. */
async function flowing(streams: Stream[], n: number, count: number): Promise<void> {
  const want = streams.map((s) => Math.min(s.got.length + n, count));
  await vi.waitFor(() => streams.forEach((s, i) => expect(s.got.length, `stream ${i + 1} flows`).toBeGreaterThanOrEqual(want[i]!)), { timeout: 10_000, interval: 20 });
}

/** Waits until each stream has delivered all `count` messages (the assertions after it show which and in what order). */
async function allArrived(streams: Stream[], count: number, timeout: number): Promise<void> {
  await vi.waitFor(() => streams.forEach((s, i) => expect(s.got.length, `stream ${i + 1}: messages arrived`).toBeGreaterThanOrEqual(count)), { timeout, interval: 50 });
}
