import { ConnectError, ConsoleApi, CustomerEndpoint, TechnicianEndpoint, type SecureSession } from '@fernhilfe/client';
import { LogicalChannel } from '@fernhilfe/protocol';
import { CommandError } from '../errors.js';
import { nodeTransport as transport } from '../node-transport.js';

export interface SelftestResult {
  setupMs: number;
  totalMs: number;
  roundTripMs: number;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new CommandError('selftest', `${what} took longer than ${ms / 1000} s`)), ms);
    p.then((v) => (clearTimeout(t), resolve(v)), (e: unknown) => (clearTimeout(t), reject(e)));
  });
}

/**
 * A whole customer + technician session through a running server: sign in, register, connect,
 * PAKE, an encrypted round trip of control and binary data, end, and a check that the used
 * ID + password is refused afterwards. Throws with the reason when anything fails.
 */
export async function runSelftest(opts: { server: string; user: string; password: string }): Promise<SelftestResult> {
  const t0 = performance.now();
  const api = new ConsoleApi(opts.server.replace(/\/$/, ''), true);
  await api.login(opts.user, opts.password);
  const terms = await api.terms();
  const customer = await CustomerEndpoint.open({ url: api.customerUrl(), transport, termsVersion: terms.version, language: 'en', capabilities: ['screen', 'chat'] });
  const password = customer.password!;
  const tech = await TechnicianEndpoint.open({ url: await api.technicianUrl(), transport });

  const tConnect = performance.now();
  const customerSession = customer.once('session');
  const techSession = await withTimeout(tech.connect(customer.id, password), 15_000, 'connecting');
  const custSession = await customerSession;
  const setupMs = performance.now() - tConnect;
  if (techSession.sas !== custSession.sas) throw new CommandError('selftest', 'the two ends show different authentication strings');

  const roundTripMs = await withTimeout(roundTrip(techSession, custSession), 10_000, 'the encrypted round trip');
  const ended = custSession.once('ended');
  await techSession.end();
  await withTimeout(ended, 5000, 'ending the session');

  const again = await TechnicianEndpoint.open({ url: await api.technicianUrl(), transport });
  const reuse = await again.connect(customer.id, password).then(
    () => 'accepted',
    (err: unknown) => (err instanceof ConnectError ? err.reason : String(err)),
  );
  again.close();
  if (reuse === 'accepted') throw new CommandError('selftest', 'the used ID and password opened a second session');
  await api.logout().catch(() => undefined);
  return { setupMs, totalMs: performance.now() - t0, roundTripMs };
}

/** Technician sends a control ping and 64 KiB of data; the customer echoes the data back. */
async function roundTrip(tech: SecureSession, customer: SecureSession): Promise<number> {
  const payload = crypto.getRandomValues(new Uint8Array(65536));
  customer.on('data', ({ channel, bytes }) => void customer.sendData(channel, bytes).catch(() => undefined));
  const t = performance.now();
  const pong = new Promise<void>((resolve) => tech.on('control', (m) => m.type === 'pong' && m.id === 1 && resolve()));
  const echo = tech.once('data');
  await tech.sendControl({ type: 'ping', id: 1, t: Date.now() });
  await tech.sendData(LogicalChannel.data, payload);
  await pong;
  const back = await echo;
  if (back.bytes.length !== payload.length || !back.bytes.every((b, i) => b === payload[i])) {
    throw new CommandError('selftest', 'the echoed data differs from what was sent');
  }
  return performance.now() - t;
}
