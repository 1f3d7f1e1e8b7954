import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConnectError, CustomerEndpoint, chunkedTransport, type SecureSession } from '@fernhilfe/client';
import { LogicalChannel } from '@fernhilfe/protocol';
import { nodeTransport, startTestServer } from '../support/server.js';

async function pair(srv: Awaited<ReturnType<typeof startTestServer>>, transport = nodeTransport) {
  const customer = await srv.customer({ transport });
  const tech = await srv.technician({ transport });
  const custSession = customer.once('session');
  const techSession = await tech.connect(customer.id, customer.password!);
  return { customer, tech, techSession, custSession: await custSession };
}

function nextData(s: SecureSession) {
  return s.once('data');
}

describe('a whole session through the real server', () => {
  for (const [name, transport] of [['whole messages', nodeTransport], ['one byte per message', chunkedTransport(nodeTransport, 1)]] as const) {
    it(`registers, connects, authenticates, round-trips control and binary data, ends (${name})`, async () => {
      await using srv = await startTestServer();
      const customer = await srv.customer({ transport });
      expect(customer.id).toMatch(/^[1-9]\d{8}$/);
      const password = customer.password!;
      expect(password).toMatch(/^[2-9a-hjkmnp-z]{7}$/);

      const tech = await srv.technician({ transport });
      const pairing = customer.once('pairing');
      const custSessionP = customer.once('session');
      const techSession = await tech.connect(customer.id, password);
      const custSession = await custSessionP;
      expect(await pairing).toEqual({ displayName: 'Max Mustermann', company: 'Beispiel GmbH' });
      expect(techSession.sas).toMatch(/^\d{3} \d{3}$/);
      expect(techSession.sas).toBe(custSession.sas);
      expect(customer.password).toBeUndefined(); // burnt the moment it was used

      const chat = custSession.once('control');
      await techSession.sendControl({ type: 'chat', text: 'Hallo, ich sehe Ihren Bildschirm.' });
      expect(await chat).toEqual({ type: 'chat', text: 'Hallo, ich sehe Ihren Bildschirm.' });

      const blob = new Uint8Array(randomBytes(name === 'whole messages' ? 300_000 : 3000));
      const got = nextData(techSession);
      await custSession.sendData(LogicalChannel.video, blob);
      const received = await got;
      expect(received.channel).toBe(LogicalChannel.video);
      expect(Buffer.from(received.bytes).equals(Buffer.from(blob))).toBe(true);

      const techEnded = techSession.once('ended');
      await customer.end();
      expect(await techEnded).toMatchObject({ reason: 'ended-by-customer', by: 'customer' });

      // the pair is used up: the same ID + password can never open a second session
      const again = await srv.technician();
      const err = await again.connect(customer.id, password).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConnectError);
      expect((err as ConnectError).reason).toBe('customer-left');
      again.close();
    });
  }

  it('the technician can end the session too, and the customer sees who ended it', async () => {
    await using srv = await startTestServer();
    const { customer, techSession, custSession } = await pair(srv);
    const ended = customer.once('ended');
    await techSession.end();
    expect(await ended).toMatchObject({ reason: 'ended-by-technician', by: 'technician' });
    expect(custSession.isOpen).toBe(false);
  });

  it('refuses a registration without the current terms version: no ID is given out', async () => {
    await using srv = await startTestServer();
    const err = await CustomerEndpoint.open({
      url: `${srv.url.replace(/^http/, 'ws')}/ws/customer`,
      transport: nodeTransport,
      termsVersion: '0'.repeat(64),
      language: 'en',
      capabilities: [],
    }).catch((e: unknown) => e);
    expect(String(err)).toMatch(/terms-outdated: the terms have changed/);
    expect(srv.broker.liveRegistrations).toBe(0);
  });
});
