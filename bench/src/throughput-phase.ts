import { randomBytes } from 'node:crypto';
import { LogicalChannel } from '@fernhilfe/protocol';
import { endPair, withTimeout, type BenchClient } from './client.js';
import { CpuWindow, type CpuUsage } from './cpu-window.js';
import type { ServerProcess } from './server-process.js';
import { mibPerSecond } from './stats.js';
import { BenchError } from './errors.js';

export interface ThroughputResult {
  bytes: number;
  chunk: number;
  ms: number;
  mibPerSecond: number;
  cpu: CpuUsage;
}

/**
 * Phase 2: one session, technician -> customer, `bytes` in `chunk`-sized sendData calls as fast as
 * the session's own backpressure allows. Timed from the first sendData call until the customer has
 * opened the last byte.
 */
export async function measureThroughput(client: BenchClient, server: ServerProcess, bytes: number, chunk: number): Promise<ThroughputResult> {
  const pair = await client.pair();
  try {
    const payload = new Uint8Array(randomBytes(chunk));
    const frames = Math.ceil(bytes / chunk);
    let received = 0;
    const all = new Promise<void>((resolve, reject) => {
      pair.customerSession.on('data', ({ bytes: b }) => {
        received += b.length;
        if (received >= frames * chunk) resolve();
      });
      pair.customerSession.on('ended', (end) => reject(new BenchError('result', `the session ended during the transfer (${end.reason})`)));
    });
    all.catch(() => undefined); // awaited below; an early end must not count as unhandled meanwhile
    const cpu = new CpuWindow(server);
    const t0 = performance.now();
    for (let i = 0; i < frames; i++) await pair.techSession.sendData(LogicalChannel.data, payload);
    await withTimeout(all, 120_000, 'the bulk transfer');
    const ms = performance.now() - t0;
    return { bytes: frames * chunk, chunk, ms, mibPerSecond: mibPerSecond(frames * chunk, ms), cpu: cpu.end() };
  } finally {
    await endPair(pair).catch(() => undefined);
  }
}
