import type { Browser } from 'playwright-core';
import { pageCounters } from '../browser-probe.js';
import { firstFrameAfter, type Connection, type Stack } from './stack.js';
import { startVncStack, type VncStack } from './vnc-stack.js';

/** The baseline: x11vnc -> WebSocket proxy -> noVNC 1.7 (default settings: Tight, JPEG quality 6) in headless Chromium. */
export class NoVncStack implements Stack {
  readonly name = 'noVNC';
  readonly description = 'x11vnc (Debian) -> Node WebSocket-to-TCP proxy -> @novnc/novnc 1.7 RFB in headless Chromium, defaults';

  private constructor(
    private readonly vnc: VncStack,
    private readonly browser: Browser,
  ) {}

  static async start(display: string, browser: Browser): Promise<NoVncStack> {
    return new NoVncStack(await startVncStack(display), browser);
  }

  async connect(): Promise<Connection> {
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
