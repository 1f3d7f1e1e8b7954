import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import { ROOT } from '../support/processes.js';
import type { Lab } from '../support/netns.js';
import { TECH_LOGIN, TECH_PASSWORD } from '../support/server.js';

const OUT = path.join(ROOT, 'node_modules/.cache/fernhilfe-p2p/endpoint.mjs');
let bundled: Promise<void> | undefined;

/** Bundles endpoint-child.ts once (Node 20 runs no TypeScript); @roamhq/wrtc, werift and ws stay external. */
function bundle(): Promise<void> {
  mkdirSync(path.dirname(OUT), { recursive: true });
  return (bundled ??= build({
    entryPoints: [path.join(ROOT, 'tests/p2p/endpoint-child.ts')],
    outfile: OUT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['source'],
    external: ['@roamhq/wrtc', 'werift', 'ws'],
    logLevel: 'error',
  }).then(() => undefined));
}

export interface EndpointEvent {
  ev: string;
  [key: string]: unknown;
}

/** An endpoint process in a namespace: send commands, wait for events. */
export interface EndpointProcess {
  events: EndpointEvent[];
  send(cmd: object): void;
  /** the first event from index `since` on that matches */
  waitFor(pred: (e: EndpointEvent) => boolean, ms: number, what: string, since?: number): Promise<EndpointEvent>;
  /** stdout/stderr lines, for failure messages */
  output(): string;
  kill(): Promise<void>;
}

export async function startEndpoint(lab: Lab, role: 'customer' | 'technician', server: string, env: Record<string, string> = {}): Promise<EndpointProcess> {
  await bundle();
  const ns = role === 'customer' ? lab.customer.ns : lab.technician.ns;
  const child: ChildProcess = lab.spawnIn(ns, process.execPath, [OUT], {
    cwd: ROOT,
    env: { ...process.env, ROLE: role, SERVER: server, TECH_LOGIN, TECH_PASSWORD, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const events: EndpointEvent[] = [];
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    try {
      events.push(JSON.parse(line) as EndpointEvent);
    } catch {
      return;
    }
    for (const w of [...waiters]) w();
  });
  child.stderr!.on('data', (d: Buffer) => lines.push(`${role} stderr: ${d.toString().trimEnd()}`));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const output = () => lines.map((l) => `${role}: ${l}`).join('\n');
  return {
    events,
    send: (cmd) => child.stdin!.write(`${JSON.stringify(cmd)}\n`),
    output,
    waitFor(pred, ms, what, since = 0) {
      return new Promise((resolve, reject) => {
        let from = since;
        const check = () => {
          for (; from < events.length; from++) {
            const e = events[from]!;
            if (pred(e)) return done(() => resolve(e));
            if (e.ev === 'error') return done(() => reject(new Error(`${role} failed: ${String(e.message)}`)));
          }
        };
        const timer = setTimeout(() => done(() => reject(new Error(`timed out after ${ms} ms waiting for ${role}: ${what}\n${output().slice(-4000)}`))), ms);
        const done = (fn: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          fn();
        };
        waiters.add(check);
        check();
      });
    },
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}
