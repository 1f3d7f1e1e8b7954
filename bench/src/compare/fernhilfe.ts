import type { ChildProcess } from 'node:child_process';
import { spawnProgram } from '@fernhilfe/programs';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext } from 'playwright-core';
import { processTree, stopChild, technicianConnects, technicianSignsIn } from '@fernhilfe/testkit';
import { PAGE_COUNTERS, readCounters } from '../browser-probe.js';
import { ServerProcess } from '../server-process.js';
import { firstFrameAfter, type Connection, type Stack } from './stack.js';
import { BenchError } from '../errors.js';
import type { Machines } from './machines.js';

const CUSTOMER = fileURLToPath(new URL('./fernhilfe-customer.js', import.meta.url));
const LOGIN = 'bench';

/** Fernhilfe: the agent's X11 capture + x264 pipeline -> the server (relay) -> the console in headless Chromium. */
export class FernhilfeStack implements Stack {
  readonly name = 'Fernhilfe';
  readonly description = 'agent screen pipeline (X11 MIT-SHM + DAMAGE, x264 ultrafast/zerolatency in fernhilfe-encoder) -> Fernhilfe server relay (end-to-end encrypted) -> console (WebCodecs) in headless Chromium';

  private context: BrowserContext | undefined;

  private constructor(
    private readonly server: ServerProcess,
    private readonly password: string,
    private readonly display: string,
    private readonly machines: Machines,
    private readonly stagesAddress: string | undefined,
  ) {}

  /** The server in the middle (root namespace, pinned with the technician in the two-machine mode). */
  static async start(display: string, machines: Machines, stagesAddress?: string): Promise<FernhilfeStack> {
    const password = randomBytes(18).toString('base64url');
    const env: Record<string, string> = { HOST: machines.serverHost, ...(machines.serverHost === '127.0.0.1' ? {} : { ALLOW_INSECURE: '1' }) };
    const server = await ServerProcess.start({ login: LOGIN, password, env, wrap: machines.middle });
    return new FernhilfeStack(server, password, display, machines, stagesAddress);
  }

  /** the console's origin (Chromium treats it as secure: WebCrypto over plain HTTP on a private address) */
  get origin(): string {
    return new URL(this.server.url).origin;
  }

  /** Signs the technician in, in a context of the technician's browser. */
  async attach(browser: Browser): Promise<void> {
    this.context = await browser.newContext({ viewport: { width: 1920, height: 1200 }, locale: 'en-US' });
    await this.context.addInitScript(PAGE_COUNTERS);
    const page = await this.context.newPage();
    await technicianSignsIn(page, this.server.url, LOGIN, this.password);
    await page.close();
  }

  async connect(): Promise<Connection> {
    if (!this.context) throw new BenchError('setup', 'FernhilfeStack.attach(browser) first');
    const [file, args] = this.machines.customer(process.execPath, [CUSTOMER, this.server.url, this.display]);
    const env = { ...process.env, ...(this.stagesAddress ? { FERNHILFE_BENCH_STAGES: this.stagesAddress } : {}) };
    const customer = spawnProgram({ file }, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const creds = await readCredentials(customer);
      const page = await this.context.newPage();
      await page.goto(`${this.server.url}/console/`);
      await page.getByTestId('connect-id').waitFor({ state: 'visible', timeout: 15_000 });
      const started = performance.now();
      await technicianConnects(page, creds);
      const firstFrameMs = await firstFrameAfter(page, started, 'the console');
      return {
        page,
        firstFrameMs,
        capturePids: () => processTree(customer.pid!),
        relayPids: () => [this.server.pid],
        bytesToViewer: async () => (await readCounters(page)).bytesIn,
        close: async () => {
          await stopChild(customer);
          await page.close();
        },
      };
    } catch (err) {
      await stopChild(customer);
      throw err;
    }
  }

  async stop(): Promise<void> {
    await this.context?.close().catch(() => undefined);
    await this.server.stop();
  }
}

function readCredentials(child: ChildProcess): Promise<{ id: string; password: string }> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new BenchError('timeout', `the bench customer gave no credentials within 15 s: ${err.slice(-400)}`)), 15_000);
    child.stderr!.on('data', (b: Buffer) => (err = (err + b.toString('utf8')).slice(-4000)));
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString('utf8');
      const m = /credentials (\d{9}) (\S+)\n/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      resolve({ id: m[1]!, password: m[2]! });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new BenchError('process', `the bench customer exited (${code}): ${err.slice(-400)}`));
    });
  });
}
