import type { ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { expect, vi } from 'vitest';
import { spawnProgram } from '@fernhilfe/programs';
import type { BenchNet } from '@fernhilfe/testkit';

/** Helpers of tests/bench/netlab.test.ts: the peer process in a namespace, a TCP ping-pong, a paced UDP upload. */

const PEER = fileURLToPath(new URL('./netlab-peer.mjs', import.meta.url));

export interface Peer {
  child: ChildProcess;
  lines: string[];
  /** the first line (from index `since`) that matches; throws if the peer ends without it */
  line(re: RegExp, since?: number): Promise<string>;
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** netlab-peer.mjs with `args`, run by `on.wrap(side, …)`. */
export function startPeer(on: BenchNet, side: 'customer' | 'technician', args: string[]): Peer {
  const [file, wrapped] = on.wrap(side, process.execPath, [PEER, ...args]);
  const child = spawnProgram(file, wrapped, { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  let closed = false; // after its output has been read to the end
  child.on('close', () => (closed = true));
  createInterface({ input: child.stdout! }).on('line', (l) => lines.push(l));
  return {
    child,
    lines,
    async line(re, since = 0) {
      const find = () => lines.slice(since).find((l) => re.test(l));
      await vi.waitFor(() => {
        if (find() === undefined && !closed) throw new Error(`the peer (${args.join(' ')}) has not printed ${re} yet`);
      }, { timeout: 30_000, interval: 20 });
      const hit = find();
      if (hit === undefined) throw new Error(`the peer (${args.join(' ')}) ended without ${re}: ${lines.join(' | ')}`);
      return hit;
    },
  };
}

/** A TCP connection from the root namespace (where the test runs) to an echo server, one ping at a time. */
export async function echoConnection(host: string, port: number) {
  const sock = net.connect(port, host);
  await new Promise<void>((resolve, reject) => sock.once('connect', resolve).once('error', reject));
  let buf = '';
  let failed: Error | undefined;
  let wake: (() => void) | undefined;
  sock.on('error', (err) => {
    failed = err;
    wake?.();
  });
  sock.on('data', (d) => {
    buf += d.toString();
    if (buf.includes('\n')) wake?.();
  });
  return {
    /** sends `text` + newline, resolves with the echo and the round trip in ms */
    async ping(text: string): Promise<{ echo: string; ms: number }> {
      const echoed = new Promise<void>((resolve) => (wake = resolve));
      const t0 = performance.now();
      sock.write(`${text}\n`);
      await echoed;
      const ms = performance.now() - t0;
      if (failed) throw failed;
      const [echo, rest] = [buf.slice(0, buf.indexOf('\n')), buf.slice(buf.indexOf('\n') + 1)];
      buf = rest;
      return { echo, ms };
    },
    closed: () => sock.destroyed || failed !== undefined,
    end: () => new Promise<void>((resolve) => sock.end(resolve)),
  };
}

/**
 * `count` numbered UDP datagrams from the customer (a peer that `spawn` starts) to the root namespace,
 * `perTick` every 10 ms; waits until the emulator has passed or dropped each and the receiver has every
 * one it passed. Returns the sequence numbers in arrival order and the emulator's drops.
 */
export async function udpUpload(on: BenchNet, count: number, perTick: number, spawn: (args: string[]) => Peer) {
  const seqs: number[] = [];
  const sock = dgram.createSocket('udp4').on('message', (m) => seqs.push(m.readUInt32BE(0)));
  await new Promise<void>((resolve) => sock.bind(0, on.serverAddr, resolve));
  try {
    const before = await on.counters();
    await spawn(['udp-send', on.serverAddr, String(sock.address().port), String(count), String(perTick)]).line(new RegExp(`^sent ${count}$`));
    await expect
      .poll(async () => {
        const c = await on.counters();
        return c.up.packets - before.up.packets >= count && c.up.queued === 0;
      }, { timeout: 20_000 })
      .toBe(true);
    const after = await on.counters();
    const lossDrops = after.up.lossDrops - before.up.lossDrops;
    const queueDrops = after.up.queueDrops - before.up.queueDrops;
    await expect.poll(() => seqs.length, { timeout: 5_000 }).toBe(count - lossDrops - queueDrops);
    return { seqs, lossDrops, queueDrops };
  } finally {
    sock.close();
  }
}
