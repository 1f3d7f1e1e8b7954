import { describe, expect, it } from 'vitest';
import { MAX_FRAME_BODY } from '@fernhilfe/protocol';
import { auditDb } from '@fernhilfe/server';
import { rawCustomer, registerRaw } from './raw-customer.js';
import { startTestServer } from '../support/server.js';
import { within } from '../support/resume-kit.js';

/** Unauthenticated clients of /ws/customer (issue 14, finding 3): what they can and cannot make the server do. */
describe('who may open and keep a customer connection', () => {
  it('a browser on another web page is refused; no Origin (the native program) and the server\'s own pages are let in', async () => {
    await using srv = await startTestServer({ PUBLIC_URL: 'https://support.example' });
    await expect(rawCustomer(srv.url, { origin: 'https://evil.example' })).rejects.toThrow('status 403');
    await expect(rawCustomer(srv.url, { origin: 'null' })).rejects.toThrow('status 403');
    for (const origin of [undefined, srv.url, 'https://support.example']) {
      const c = await rawCustomer(srv.url, origin ? { origin } : {});
      expect(await registerRaw(c, srv.terms().version)).toMatchObject({ type: 'registered' });
      c.ws.close();
    }
  });

  it('a connection that never registers is closed after REGISTER_TIMEOUT_MS, with the reason', async () => {
    await using srv = await startTestServer({ REGISTER_TIMEOUT_MS: '300' });
    const idle = await rawCustomer(srv.url);
    const registered = await rawCustomer(srv.url);
    expect(await registerRaw(registered, srv.terms().version)).toMatchObject({ type: 'registered' });
    // the wait for the close: 300 ms timeout plus a noisy machine's margin
    const closed = await within(idle.closed, 5_000, 'the close of the connection that never registered');
    expect(closed).toEqual({ code: 1008, reason: 'no registration within 1 s; please connect again' });
    await registered.roundTrip(); // a registered connection stays
    expect(registered.ws.readyState).toBe(registered.ws.OPEN);
    registered.ws.close();
  });

  it('past MAX_CONNECTIONS a connection is closed at once with a plain reason; the others are unaffected', async () => {
    await using srv = await startTestServer({ MAX_CONNECTIONS: '5' });
    const held = await Promise.all(Array.from({ length: 5 }, (_, i) => rawCustomer(srv.url, { localAddress: `127.0.0.${10 + i}` })));
    const extra = await rawCustomer(srv.url, { localAddress: '127.0.0.20' });
    const closed = await within(extra.closed, 5_000, 'the close of the connection past MAX_CONNECTIONS');
    expect(closed).toEqual({ code: 1013, reason: 'the server has too many connections; please try again in a minute' });
    for (const c of held) expect(await registerRaw(c, srv.terms().version)).toMatchObject({ type: 'registered' });
    held[0]!.ws.close();
    await held[0]!.closed;
    // a place is free again once one closes (the server sees the close a moment later)
    await expect.poll(async () => {
      const again = await rawCustomer(srv.url);
      const answer = await registerRaw(again, srv.terms().version);
      again.ws.close();
      return answer.type;
    }, { timeout: 5_000 }).toBe('registered');
    for (const c of held) c.ws.close();
  });

  it('a header that claims 1 MiB costs the server only the bytes that arrived', async () => {
    await using srv = await startTestServer();
    const CONNECTIONS = 150;
    const conns = await Promise.all(Array.from({ length: CONNECTIONS }, () => rawCustomer(srv.url)));
    const before = process.memoryUsage().arrayBuffers;
    const header = Buffer.alloc(6);
    header.writeUInt32BE(MAX_FRAME_BODY + 1, 0);
    header[4] = 0x02; // PEER
    header[5] = 0x42; // one body byte
    for (const c of conns) c.ws.send(header);
    await Promise.all(conns.map((c) => c.roundTrip())); // the server has read every header
    const grown = process.memoryUsage().arrayBuffers - before;
    // before the fix: 150 x 1 MiB = 150 MiB allocated up front; now a 4 KiB start each
    expect(grown).toBeLessThan(CONNECTIONS * 128 * 1024);
    for (const c of conns) c.ws.close();
  });
});

describe('registration limits', () => {
  it('one address gets REGISTRATIONS_PER_MINUTE new IDs, then a clear refusal; other addresses are unaffected; nothing is written for a refusal', async () => {
    await using srv = await startTestServer({ REGISTRATIONS_PER_MINUTE: '5' });
    const version = srv.terms().version;
    const answers: { type: string; code?: string; retryAfterMs?: number }[] = [];
    for (let i = 0; i < 8; i++) {
      const c = await rawCustomer(srv.url, { localAddress: '127.0.0.2' });
      answers.push(await registerRaw(c, version));
      c.send({ type: 'end' });
      await c.closed;
    }
    expect(answers.map((a) => a.type)).toEqual(['registered', 'registered', 'registered', 'registered', 'registered', 'error', 'error', 'error']);
    expect(answers[5]).toMatchObject({ code: 'rate-limited', retryAfterMs: expect.any(Number) as number });
    expect(answers[5]!.retryAfterMs!).toBeGreaterThan(0);
    const other = await rawCustomer(srv.url, { localAddress: '127.0.0.3' });
    expect(await registerRaw(other, version)).toMatchObject({ type: 'registered' });
    other.ws.close();
    await other.closed;
    await expect.poll(async () => (await auditDb(srv.database.db).selectFrom('support_sessions').select('customer_addr').execute()).length).toBe(6);
  });

  it('an IPv6 /64 counts as one network: rotating addresses inside it gets neither more IDs nor more connections', async () => {
    await using srv = await startTestServer({ TRUST_PROXY: '127.0.0.1', REGISTRATIONS_PER_MINUTE: '2', MAX_CONNECTIONS_PER_IP: '12' });
    const version = srv.terms().version;
    const from = (i: number) => ({ headers: { 'x-forwarded-for': `2001:db8:1:2::${(i + 1).toString(16)}` } });
    // registrations: 2 per address, 8 per /64 in all
    const types: string[] = [];
    for (let i = 0; i < 12; i++) {
      const c = await rawCustomer(srv.url, from(i));
      types.push((await registerRaw(c, version)).type);
      c.send({ type: 'end' });
      await c.closed;
    }
    expect(types.filter((t) => t === 'registered')).toHaveLength(8);
    const elsewhere = await rawCustomer(srv.url, { headers: { 'x-forwarded-for': '2001:db8:1:3::1' } });
    expect(await registerRaw(elsewhere, version)).toMatchObject({ type: 'registered' });
    elsewhere.ws.close();
    // connections: 12 from the whole /64, each from a new address
    const open = [];
    for (let i = 0; i < 12; i++) open.push(await rawCustomer(srv.url, from(100 + i)));
    await expect(rawCustomer(srv.url, from(200))).rejects.toThrow('status 429');
    for (const c of open) c.ws.close();
  });
});
