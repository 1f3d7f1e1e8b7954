import { endPair, type BenchClient } from './client.js';
import { summarize, type Summary } from './stats.js';

export interface SetupResult {
  sessions: number;
  /** tech.connect() until both SecureSessions are open */
  setup: Summary;
  /** tech.connect() until the customer has the server's pairing message (one trip through the broker) */
  pairing: Summary;
}

/**
 * Phase 1: `sessions` sessions one after another, each with a fresh customer and a technician
 * connection on a fresh ticket; only the connect (broker pairing, CPace, key confirmation, channel
 * keys) is timed. Every session is ended before the next one starts.
 */
export async function measureSetup(client: BenchClient, sessions: number): Promise<SetupResult> {
  const setup: number[] = [];
  const pairing: number[] = [];
  for (let i = 0; i < sessions; i++) {
    const pair = await client.pair();
    setup.push(pair.setupMs);
    pairing.push(pair.pairingMs);
    await endPair(pair);
  }
  return { sessions, setup: summarize(setup), pairing: summarize(pairing) };
}

/** Sessions that only warm up the server and the bench (JIT, database, sockets); nothing is kept. */
export async function warmUp(client: BenchClient, sessions: number): Promise<void> {
  for (let i = 0; i < sessions; i++) await endPair(await client.pair());
}
