import type { ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { spawnProgram } from '@fernhilfe/programs';
import { stopChild } from '@fernhilfe/testkit';
import type { Browser } from 'playwright-core';
import { summarize } from '../stats.js';
import type { Machines } from './machines.js';
import { waitForOutput } from './vnc-stack.js';

const ECHO = fileURLToPath(new URL('./echo-server.js', import.meta.url));
export const PINGS = 20;

/** The path's own round trip: median, min, max of PINGS WebSocket pings, ms. */
export interface PathRtt {
  p50: number;
  min: number;
  max: number;
  count: number;
}

/**
 * The round trip of the path a picture takes, without any picture: a TCP echo on the customer's side
 * (machines.customer, customerHost), reached like the server is, through a WebSocket-to-TCP relay in the
 * middle (this process, on serverHost; the root namespace routes nothing between the two namespaces),
 * pinged from a blank page in the technician's Chromium, so the pings cross the technician's link and
 * the emulated customer link like the frames do. Two pings warm the connection up; then PINGS, one
 * after the other, 32 bytes each.
 */
export class PathPinger {
  private constructor(
    private readonly child: ChildProcess,
    private readonly relay: WebSocketServer,
    readonly url: string,
  ) {}

  static async start(m: Machines): Promise<PathPinger> {
    const [file, args] = m.customer(process.execPath, [ECHO, m.customerHost]);
    const child = spawnProgram({ file }, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const port = Number((await waitForOutput(child, /listening (\d+)/, 10_000, 'the path-RTT echo'))[1]);
      const relay = new WebSocketServer({ host: m.serverHost, port: 0 });
      await new Promise<void>((resolve, reject) => relay.once('listening', resolve).once('error', reject));
      relay.on('connection', (ws) => {
        const tcp = connect(port, m.customerHost);
        tcp.setNoDelay(true);
        tcp.on('data', (b: Buffer) => ws.send(b));
        ws.on('message', (b: Buffer) => tcp.write(b));
        const close = () => (tcp.destroy(), ws.close());
        tcp.on('close', close).on('error', close);
        ws.on('close', close);
      });
      const addr = relay.address();
      return new PathPinger(child, relay, `ws://${m.serverHost}:${typeof addr === 'object' && addr ? addr.port : 0}/`);
    } catch (err) {
      await stopChild(child);
      throw err;
    }
  }

  async measure(browser: Browser): Promise<PathRtt> {
    const page = await browser.newPage();
    try {
      const rtts = (await page.evaluate(`(async () => {
        const ws = new WebSocket(${JSON.stringify(this.url)});
        ws.binaryType = 'arraybuffer';
        await new Promise((ok, fail) => { ws.onopen = ok; ws.onerror = () => fail(new Error('echo unreachable')); });
        const once = () => new Promise((ok) => { const t0 = performance.now(); let got = 0; ws.onmessage = (e) => { got += e.data.byteLength; if (got >= 32) ok(performance.now() - t0); }; ws.send('x'.repeat(32)); });
        await once(); await once();
        const out = [];
        for (let i = 0; i < ${PINGS}; i++) out.push(await once());
        ws.close();
        return out;
      })()`)) as number[];
      const s = summarize(rtts);
      return { p50: s.p50, min: Math.min(...rtts), max: s.max, count: s.count };
    } finally {
      await page.close();
    }
  }

  async stop(): Promise<void> {
    await new Promise((r) => this.relay.close(r));
    await stopChild(this.child);
  }
}
