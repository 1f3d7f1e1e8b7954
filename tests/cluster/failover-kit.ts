import { expect, vi } from 'vitest';
import { Redis } from 'ioredis';
import { CustomerEndpoint, TechnicianEndpoint } from '@fernhilfe/client';
import { ApiClient, fromHex, signResumeProof, toHex } from '@fernhilfe/protocol';
import { randomBytes } from 'node:crypto';
import { rawConnection, within } from '../support/resume-kit.js';
import { TECH_LOGIN, TECH_PASSWORD, nodeTransport } from '../support/server.js';
import type { Balancer } from './balancer.js';
import type { ClusterEnv, ClusterNode } from './fixture.js';

/** Helpers of failover.test.ts: sessions behind the balancer, and what Redis and the audit log hold. */

export const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/**
 * A customer whose WebSocket is on `customerNode` and a technician whose WebSocket is on `techNode`,
 * both connected through the balancer (so every reconnect goes to whichever node the balancer picks),
 * in a session whose both resume keys are in Redis (from then on it can move).
 */
export async function sessionBehind(lb: Balancer, env: ClusterEnv, customerNode: ClusterNode, techNode: ClusterNode) {
  const terms = (await (await fetch(`${customerNode.url}/api/terms`)).json()) as { version: string };
  lb.pin(customerNode.url);
  const customer = await CustomerEndpoint.open({ url: `${lb.wsUrl}/ws/customer`, transport: nodeTransport, termsVersion: terms.version, language: 'de', capabilities: ['screen', 'chat'] });
  lb.pin(techNode.url);
  const api = new ApiClient(lb.url);
  await api.login(TECH_LOGIN, TECH_PASSWORD);
  const ticketUrl = async () => {
    const t = await api.technicianUrl();
    return lb.wsUrl + t.slice(t.indexOf('/ws/'));
  };
  const tech = await TechnicianEndpoint.open({ url: await ticketUrl(), reconnectUrl: ticketUrl, transport: nodeTransport });
  const custSessionP = customer.once('session');
  const techSession = await within(tech.connect(customer.id, customer.password!), 10_000, 'the session');
  const custSession = await within(custSessionP, 10_000, "the customer's session");
  lb.pin(undefined);
  const shared = await untilMovable(env, customer.id);
  return { customer, tech, api, techSession, custSession, id: customer.id, password: customer.password!, shared };
}

/** Waits until Redis holds both resume public keys of the session (and nothing else of it is secret). */
export async function untilMovable(env: ClusterEnv, id: string): Promise<Record<string, string>> {
  const redis = new Redis(env.redis.url);
  try {
    return await vi.waitFor(
      async () => {
        const record = await redis.hgetall(`fernhilfe:session:${id}`);
        expect(record['key:customer'], "the customer's resume key in Redis").toMatch(/^[0-9a-f]{64}$/);
        expect(record['key:technician'], "the technician's resume key in Redis").toMatch(/^[0-9a-f]{64}$/);
        return record;
      },
      { timeout: 10_000, interval: 50 },
    );
  } finally {
    redis.disconnect();
  }
}

/** A resume of the customer's side with a proof signed by a key that is not the session's: refused. */
export async function resumeWithWrongKey(wsUrl: string, id: string) {
  const raw = await rawConnection(`${wsUrl}/ws/customer`);
  raw.send({ type: 'resume', id, role: 'customer' });
  const challenge = (await raw.next('resume-challenge')) as { nonce: string };
  raw.send({ type: 'resume-proof', signature: toHex(signResumeProof(randomBytes(32), 'customer', id, fromHex(challenge.nonce))) });
  const error = await raw.next('error');
  const code = await within(raw.closed, 5000, 'the refused connection to close');
  return { error, code };
}
