import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { WebSocketServer, type WebSocket } from 'ws';
import type { WineDesktop, WineProcess } from '@fernhilfe/testkit';
import { ROOT } from '../../support/processes.js';

/** The test's end of capture-driver.ts: the driver bundled for Windows Node, run under wine, asked over a loopback WebSocket. */
export interface CaptureDriver {
  call<T = unknown>(op: string, args?: Record<string, unknown>): Promise<T>;
  readonly proc: WineProcess;
  stop(): Promise<void>;
}

/** Bundles capture-driver.ts (CommonJS for Windows Node 22; koffi itself is loaded from FERNHILFE_KOFFI_NATIVE) into a temp folder. */
export async function bundleCaptureDriver(): Promise<{ file: string; dir: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'fernhilfe-capture-driver-'));
  const file = path.join(dir, 'capture-driver.cjs');
  await build({
    entryPoints: [path.join(ROOT, 'tests/windows/support/capture-driver.ts')],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    conditions: ['source'],
    external: ['bufferutil', 'utf-8-validate'],
    logLevel: 'error',
  });
  return { file, dir };
}

export async function startCaptureDriver(wine: WineDesktop, env: Record<string, string> = {}): Promise<CaptureDriver> {
  const { file, dir } = await bundleCaptureDriver();
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const port = (server.address() as { port: number }).port;
  const connected = new Promise<WebSocket>((resolve) => server.once('connection', resolve));
  const proc = wine.node(file, [`ws://127.0.0.1:${port}/`], { env, name: 'capture-driver' });
  const exited = proc.exited(180_000).then((code) => Promise.reject(new Error(`the capture driver ended (${code}) before it connected: ${JSON.stringify(proc.output())}`)));
  const ws = await Promise.race([connected, exited]);
  exited.catch(() => undefined);
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 1;
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as { id: number; result?: unknown; error?: string };
    const w = waiting.get(msg.id);
    waiting.delete(msg.id);
    if (msg.error !== undefined) w?.reject(new Error(`driver: ${msg.error}`));
    else w?.resolve(msg.result);
  });
  ws.on('close', () => {
    for (const w of waiting.values()) w.reject(new Error(`the capture driver went away: ${JSON.stringify(proc.output())}`));
    waiting.clear();
  });
  return {
    proc,
    call: <T>(op: string, args: Record<string, unknown> = {}) =>
      new Promise<T>((resolve, reject) => {
        const id = next++;
        waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
        ws.send(JSON.stringify({ id, op, args }));
      }),
    stop: async () => {
      ws.close();
      await proc.exited(30_000).catch(() => proc.kill());
      server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
