import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { WineDesktop, WineProcess } from '@fernhilfe/testkit';
import { bundleForWindows } from './bundle.js';

/** A Windows program of ours under wine, driven from the test over a loopback WebSocket (rpc-peer.ts is its side). */
export interface WindowsDriver {
  readonly proc: WineProcess;
  call<T = unknown>(method: string, ...args: unknown[]): Promise<T>;
  stop(): Promise<void>;
}

/**
 * Bundles `entry` (a file that calls serveRpc), runs it with the pinned Windows Node on `wine`'s
 * desktop with the test's port as its argument, and resolves once it connected back. Calls are
 * answered in order; a failure in the driver rejects the call with its message.
 */
export async function startDriver(wine: WineDesktop, entry: string, dir: string, env: NodeJS.ProcessEnv = {}): Promise<WindowsDriver> {
  const script = await bundleForWindows(entry, dir);
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  const connected = new Promise<WebSocket>((resolve) => server.once('connection', (ws) => resolve(ws)));
  const proc = wine.node(script, [String(port)], { env });
  // not proc.exited(): on a desktop that runs already, `wine explorer /desktop=…` hands the program over and ends
  let timer: ReturnType<typeof setTimeout> | undefined;
  const socket = await Promise.race([
    connected,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the driver did not connect within 90 s: ${JSON.stringify(proc.output())}`)), 90_000);
    }),
  ]).finally(() => clearTimeout(timer));
  let next = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  socket.on('message', (data) => {
    const m = JSON.parse(String(data)) as { id: number; result?: unknown; error?: string };
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.error !== undefined) p?.reject(new Error(`driver: ${m.error}`));
    else p?.resolve(m.result);
  });
  socket.on('close', () => {
    for (const p of pending.values()) p.reject(new Error(`the driver went away: ${JSON.stringify(proc.output())}`));
    pending.clear();
  });
  return {
    proc,
    call: <T>(method: string, ...args: unknown[]) =>
      new Promise<T>((resolve, reject) => {
        const id = ++next;
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        socket.send(JSON.stringify({ id, method, args }));
      }),
    stop: async () => {
      socket.close(); // the driver exits when its socket closes
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
