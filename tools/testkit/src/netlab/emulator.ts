import { spawnProgram } from '@fernhilfe/programs';
import { describeError } from '@fernhilfe/protocol';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { stopChild } from '../child.js';
import { TestkitError } from '../errors.js';
import { netlabBinary } from './build.js';

/** What one direction of the emulated link does to each packet. */
export interface DirectionParams {
  /** kbit/s; undefined: no rate limit */
  rateKbit: number | undefined;
  delayMs: number;
  /** uniform ± around delayMs */
  jitterMs: number;
  lossPct: number;
  /** the drop-tail queue in front of the rate limit holds at most this much time at the link rate */
  queueMs: number;
}

/** Counters of one direction since the emulator started. */
export interface DirectionCounters {
  /** packets read from the sending side's device, and their bytes */
  packets: number;
  bytes: number;
  /** dropped by the random loss */
  lossDrops: number;
  /** dropped because the rate limit's queue was full */
  queueDrops: number;
  /** written to the receiving side's device */
  sent: number;
  writeErrors: number;
  /** held right now (in the rate queue or the delay line) */
  queued: number;
}

/** Both directions: up is the customer's upload (inner → outer), down the other way. */
export interface LinkCounters {
  up: DirectionCounters;
  down: DirectionCounters;
}

/** The running fernhilfe-netlab process (tools/testkit/native/netlab): one command at a time, answered in order. */
export interface LinkEmulator {
  pid: number;
  set(direction: 'up' | 'down', p: DirectionParams): Promise<void>;
  counters(): Promise<LinkCounters>;
  /** ends the emulator; its two TUN devices vanish with it */
  stop(): Promise<void>;
}

/**
 * Starts the emulator with a TUN device `outer` in this (the root) namespace and `inner` in the
 * namespace at `netnsPath`; resolves once both exist (they have no addresses yet).
 */
export async function startLinkEmulator(opts: { netnsPath: string; inner: string; outer: string; seed: number }): Promise<LinkEmulator> {
  const child: ChildProcess = spawnProgram({ file: netlabBinary() }, ['--netns', opts.netnsPath, '--inner', opts.inner, '--outer', opts.outer, '--seed', String(opts.seed)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const waiting: Array<{ ok: (line: string) => void; fail: (e: Error) => void }> = [];
  let ended: Error | undefined;
  const lines = createInterface({ input: child.stdout! });
  const ready = new Promise<void>((resolve, reject) => {
    waiting.push({ ok: () => resolve(), fail: reject });
  });
  lines.on('line', (line) => waiting.shift()?.ok(line));
  child.on('exit', (code, signal) => {
    ended = new TestkitError('network', `the link emulator ended (${signal ?? `exit code ${code}`})${stderr ? `: ${stderr.trim()}` : ''}`);
    for (const w of waiting.splice(0)) w.fail(ended);
  });
  child.on('error', (err) => {
    ended = new TestkitError('network', `the link emulator did not start: ${describeError(err)}`, { cause: err });
    for (const w of waiting.splice(0)) w.fail(ended);
  });
  child.stdin!.on('error', () => undefined); // a write after it ended: the exit handler reports it

  const ask = (command: string) =>
    new Promise<string>((ok, fail) => {
      if (ended) return fail(ended);
      waiting.push({ ok, fail });
      child.stdin!.write(`${command}\n`);
    });

  await ready;
  return {
    pid: child.pid!,
    async set(direction, p) {
      const answer = await ask(`set ${direction} ${p.rateKbit ?? 0} ${p.delayMs} ${p.jitterMs} ${p.lossPct} ${p.queueMs}`);
      if (answer !== 'ok') throw new TestkitError('network', `the link emulator refused the ${direction} settings: ${answer}`);
    },
    async counters() {
      return parseCounters(await ask('stats'));
    },
    async stop() {
      if (!ended) child.stdin!.end();
      await stopChild(child, { graceMs: 2_000 });
    },
  };
}

const COUNTER_KEYS = ['packets', 'bytes', 'lossDrops', 'queueDrops', 'sent', 'writeErrors', 'queued'] as const;

/** The emulator's `stats` answer, checked: every counter of both directions a whole number. */
export function parseCounters(line: string): LinkCounters {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    throw new TestkitError('network', `the link emulator's counters are not JSON: ${line}`, { cause: err });
  }
  const direction = (d: unknown): DirectionCounters => {
    const out: Record<string, number> = {};
    for (const key of COUNTER_KEYS) {
      const n = (d as Record<string, unknown> | null)?.[key];
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new TestkitError('network', `the link emulator's counters lack ${key}: ${line}`);
      out[key] = n;
    }
    return out as unknown as DirectionCounters;
  };
  const v = value as { up?: unknown; down?: unknown } | null;
  return { up: direction(v?.up), down: direction(v?.down) };
}
