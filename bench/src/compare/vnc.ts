import type { Browser } from 'playwright-core';
import { pageCounters } from '../browser-probe.js';
import { firstFrameAfter, type Connection, type Stack } from './stack.js';
import { startVncStack, type VncStack } from './vnc-stack.js';
import type { Machines } from './machines.js';
import { BenchError } from '../errors.js';

/** The baseline: x11vnc -> WebSocket proxy -> noVNC 1.7 (default settings: Tight, JPEG quality 6) in headless Chromium. */
export class NoVncStack implements Stack {
  readonly name = 'noVNC';
  readonly description = 'x11vnc (Debian) -> Node WebSocket-to-TCP proxy -> @novnc/novnc 1.7 RFB in headless Chromium, defaults';

  private browser: Browser | undefined;

  private constructor(private readonly vnc: VncStack) {}

  static async start(display: string, machines: Machines): Promise<NoVncStack> {
    return new NoVncStack(await startVncStack(display, machines));
  }

  get origin(): string {
    return new URL(this.vnc.pageUrl).origin;
  }

  async attach(browser: Browser): Promise<void> {
    this.browser = browser;
  }

  async connect(): Promise<Connection> {
    if (!this.browser) throw new BenchError('setup', 'NoVncStack.attach(browser) first');
    const context = await this.browser.newContext({ viewport: { width: 1920, height: 1080 } });
    await context.addInitScript(pageCounters({ webSockets: false }));
    const page = await context.newPage();
    const started = performance.now();
    await page.goto(this.vnc.pageUrl);
    const firstFrameMs = await firstFrameAfter(page, started, 'noVNC');
    return {
      page,
      firstFrameMs,
      capturePids: () => [this.vnc.x11vncPid],
      relayPids: () => [this.vnc.proxyPid],
      bytesToViewer: async () => (await this.vnc.stats()).toViewer,
      close: () => context.close(),
    };
  }

  stop(): Promise<void> {
    return this.vnc.stop();
  }
}
