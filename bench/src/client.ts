import { ConnectError, CustomerEndpoint, TechnicianEndpoint, type SecureSession } from '@fernhilfe/client';
import { ApiClient } from '@fernhilfe/protocol';
import { nodeTransport } from './node-transport.js';
import { BenchError } from './errors.js';

export { nodeTransport };

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new BenchError('timeout', `${what} took longer than ${ms / 1000} s`)), ms);
    p.then((v) => (clearTimeout(t), resolve(v)), (e: unknown) => (clearTimeout(t), reject(e)));
  });
}

/** A connected customer + technician pair and the time the connect took. */
export interface SessionPair {
  customer: CustomerEndpoint;
  tech: TechnicianEndpoint;
  customerSession: SecureSession;
  techSession: SecureSession;
  /** from the tech.connect() call until both SecureSessions were open, ms */
  setupMs: number;
  /** from the tech.connect() call until the customer saw the server's pairing message, ms */
  pairingMs: number;
}

/** Where to reach the server and what a customer must send to register there. */
export interface CustomerTarget {
  customerUrl: string;
  termsVersion: string;
}

export function openCustomer(target: CustomerTarget): Promise<CustomerEndpoint> {
  return CustomerEndpoint.open({ url: target.customerUrl, transport: nodeTransport, termsVersion: target.termsVersion, language: 'en', capabilities: ['screen', 'chat'] });
}

/** Registers a customer, opens a technician with `technicianUrl` (one ticket each) and connects them. */
export async function connectPair(target: CustomerTarget, technicianUrl: string): Promise<SessionPair> {
  const customer = await openCustomer(target);
  try {
    const tech = await TechnicianEndpoint.open({ url: technicianUrl, transport: nodeTransport });
    const customerSession = customer.once('session');
    const t0 = performance.now();
    let pairingAt = Number.NaN;
    customer.once('pairing').then(() => (pairingAt = performance.now()), () => undefined);
    const [techSession, custSession] = await withTimeout(Promise.all([tech.connect(customer.id, customer.password!), customerSession]), 15_000, 'connecting a session').catch((err: unknown) => {
      tech.close();
      throw err;
    });
    const setupMs = performance.now() - t0;
    if (techSession.sas !== custSession.sas) throw new BenchError('result', 'the two ends derived different authentication strings');
    return { customer, tech, customerSession: custSession, techSession, setupMs, pairingMs: pairingAt - t0 };
  } catch (err) {
    await customer.end().catch(() => undefined);
    throw err;
  }
}

/** Ends the session from the technician's side and waits until the customer saw it end. */
export async function endPair(pair: SessionPair): Promise<void> {
  const ended = pair.customer.ended ? Promise.resolve() : pair.customer.once('ended').then(() => undefined);
  await pair.techSession.end();
  await withTimeout(ended, 5000, 'ending a session');
}

/** The signed-in technician's console API plus what a customer needs: one per bench run. */
export class BenchClient implements CustomerTarget {
  private constructor(
    readonly api: ApiClient,
    readonly termsVersion: string,
  ) {}

  static async signIn(serverUrl: string, login: string, password: string): Promise<BenchClient> {
    const api = new ApiClient(serverUrl);
    await api.login(login, password);
    const terms = await api.call('terms');
    return new BenchClient(api, terms.version);
  }

  get customerUrl(): string {
    return this.api.customerUrl();
  }

  /**
   * A technician WebSocket URL with a fresh single-use ticket. A request that fails on the network
   * is tried again (after a long idle wait, fetch may reuse a keep-alive socket the server just closed).
   */
  async technicianUrl(): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.api.technicianUrl();
      } catch (err) {
        if (!(err instanceof ConnectError && err.reason === 'network') || attempt === 3) throw err;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  async pair(): Promise<SessionPair> {
    return connectPair(this, await this.technicianUrl());
  }
}
