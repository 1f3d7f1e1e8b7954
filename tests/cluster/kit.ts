import { createHash, randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { Redis } from 'ioredis';
import type { CustomerEndpoint, SecureSession, TechnicianEndpoint } from '@fernhilfe/client';
import { LogicalChannel } from '@fernhilfe/protocol';
import { within } from '../support/resume-kit.js';
import type { ClusterNode, TechnicianOpts } from './fixture.js';

export { within } from '../support/resume-kit.js';

export interface Pair {
  customer: CustomerEndpoint;
  tech: TechnicianEndpoint;
  techSession: SecureSession;
  custSession: SecureSession;
}

/** A customer registered on `customerNode` and a technician whose WebSocket is on `techNode`, connected. */
export async function pairAcross(customerNode: ClusterNode, techNode: ClusterNode, opts: TechnicianOpts = {}): Promise<Pair> {
  const customer = await customerNode.customer();
  const tech = await techNode.technician(opts);
  const custSessionP = customer.once('session');
  const techSession = await within(tech.connect(customer.id, customer.password!), 10_000, 'the cross-node session');
  const custSession = await within(custSessionP, 10_000, "the customer's session");
  expect(techSession.sas).toBe(custSession.sas);
  return { customer, tech, techSession, custSession };
}

/**
 * Sends `total` random bytes from one session to the other in `chunk`-sized frames and returns the
 * SHA-256 of what was sent and of what arrived (in order), plus a marker that was inside every chunk.
 */
export async function stream(from: SecureSession, to: SecureSession, total: number, chunk: number, marker: Buffer) {
  const sent = createHash('sha256');
  const got = createHash('sha256');
  let received = 0;
  const done = new Promise<void>((resolve) => {
    const off = to.on('data', ({ channel, bytes }) => {
      if (channel !== LogicalChannel.data) return;
      got.update(bytes);
      received += bytes.length;
      if (received >= total) {
        off();
        resolve();
      }
    });
  });
  for (let at = 0; at < total; at += chunk) {
    const bytes = randomBytes(Math.min(chunk, total - at));
    marker.copy(bytes, 0, 0, Math.min(marker.length, bytes.length));
    sent.update(bytes);
    await from.sendData(LogicalChannel.data, bytes);
  }
  await within(done, 30_000, `${total} bytes to arrive`);
  return { sent: sent.digest('hex'), got: got.digest('hex'), received };
}

/** Everything published on the cluster bus while it runs (a Redis client of the test's own). */
export async function tapBus(redisUrl: string) {
  const sub = new Redis(redisUrl);
  const messages: Buffer[] = [];
  sub.on('pmessageBuffer', (_pattern: Buffer, _channel: Buffer, message: Buffer) => void messages.push(message));
  await sub.psubscribe('fernhilfe:bus:*');
  return {
    bytes: () => messages.reduce((a, m) => a + m.length, 0),
    contains: (needle: Buffer) => messages.some((m) => m.includes(needle)),
    close: () => sub.quit().then(() => undefined),
  };
}
