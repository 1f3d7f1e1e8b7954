import type { ChildProcess } from 'node:child_process';
import { programPath, spawnProgram } from '@fernhilfe/programs';
import { fileURLToPath } from 'node:url';
import { freePort, stopChild } from '@fernhilfe/testkit';
import { BenchError } from '../errors.js';
import type { Machines } from './machines.js';

/**
 * The classic open-source web remote desktop: x11vnc on the X display, a WebSocket-to-TCP proxy
 * (vnc-proxy.ts, its own process) and noVNC in the browser. Started as FINDINGS.md measured it:
 * `x11vnc -display :N -listen 127.0.0.1 -rfbport P -nopw -forever -shared`, plus `-nolookup` (in a network
 * namespace without a resolver x11vnc would otherwise wait for a reverse DNS lookup of the viewer's address).
 */
export interface VncStack {
  /** the viewer page to open in Chromium */
  pageUrl: string;
  x11vncPid: number;
  proxyPid: number;
  /** bytes the proxy has passed to and from the viewer */
  stats(): Promise<{ toViewer: number; fromViewer: number }>;
  stop(): Promise<void>;
}

const PROXY = fileURLToPath(new URL('./vnc-proxy.js', import.meta.url));

/** x11vnc on the customer's side (machines.customer, listening on customerHost), the proxy in the middle (on serverHost). */
export async function startVncStack(display: string, m: Pick<Machines, 'customer' | 'middle' | 'customerHost' | 'serverHost'>): Promise<VncStack> {
  const vncPort = await freePort();
  const [vncFile, vncArgs] = m.customer(programPath('x11vnc'), ['-display', display, '-listen', m.customerHost, '-rfbport', String(vncPort), '-nopw', '-forever', '-shared', '-quiet', '-nolookup']);
  const x11vnc = spawnProgram({ file: vncFile }, vncArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
  const children: ChildProcess[] = [x11vnc];
  const stop = async () => {
    await Promise.all(children.map((c) => stopChild(c)));
  };
  try {
    await waitForOutput(x11vnc, new RegExp(`PORT=${vncPort}`), 15_000, 'x11vnc (Debian package x11vnc)');
    const [proxyFile, proxyArgs] = m.middle(process.execPath, [PROXY, m.customerHost, String(vncPort), m.serverHost]);
    const proxy = spawnProgram({ file: proxyFile }, proxyArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(proxy);
    const port = await waitForOutput(proxy, /listening (\d+)/, 10_000, 'the WebSocket proxy');
    const base = `http://${m.serverHost}:${port[1]}`;
    return {
      pageUrl: `${base}/`,
      x11vncPid: x11vnc.pid!,
      proxyPid: proxy.pid!,
      stats: async () => (await (await fetch(`${base}/stats`)).json()) as { toViewer: number; fromViewer: number },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

export function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs: number, what: string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => done(new BenchError('timeout', `${what} did not start within ${timeoutMs} ms: ${seen.slice(-500)}`)), timeoutMs);
    const onData = (b: Buffer) => {
      seen = (seen + b.toString('utf8')).slice(-8000);
      const m = pattern.exec(seen);
      if (m) done(undefined, m);
    };
    const onExit = (code: number | null) => done(new BenchError('process', `${what} exited (${code}) before it was ready: ${seen.slice(-500)}`));
    const onError = (err: Error) => done(new BenchError('process', `${what} could not start: ${err.message}`, { cause: err }));
    function done(err?: Error, m?: RegExpExecArray): void {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
      if (err) reject(err);
      else resolve(m!);
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}
