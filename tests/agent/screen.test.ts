import { execProgramSync } from '@fernhilfe/programs';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerEndpoint, SecureSession } from '@fernhilfe/client';
import { ScreenFeature } from '../../packages/agent/src/screen/feature.js';
import { runFeatures } from '../../packages/agent/src/session/wiring.js';
import { assertAppsBuilt, cspViolations, launchTechnicianBrowser, openPage, poll, type WatchedPage } from '../e2e/support/browser.js';
import { canvasColours, closeTo, hex, technicianConnects, technicianSignsIn } from '../e2e/support/flows.js';
import type { Rgb } from '@fernhilfe/testkit';
import { expectNothingFor } from '../support/quiet.js';
import { startTestServer, TECH_LOGIN, TECH_PASSWORD, type TestServer } from '../support/server.js';
import { LEFT, RIGHT, rgb, startTwoMonitors, type TwoMonitorScreen } from './support/screen-x.js';

const PROBES = [
  { x: 200, y: 150 },
  { x: 1700, y: 200 },
  { x: 400, y: 900 },
  { x: 1500, y: 850 },
];

/**
 * The native agent's screen feature on a real two-monitor Xvfb, through the real server, into the
 * real console in headless Chromium: the technician sees the colours painted on the X screen (pixel
 * check of the canvas), changes arrive, switching monitors shows the other monitor, the pointer is
 * drawn by the console, and an unchanging screen sends no video frames at all.
 */
describe('the agent shares a real X screen with the console', () => {
  let srv: TestServer;
  let screen: TwoMonitorScreen;
  let browser: Browser;
  let tech: WatchedPage;
  let customer: CustomerEndpoint;
  let session: SecureSession;
  let feature: ScreenFeature;
  let stopFeatures: () => Promise<void>;
  const frames: Array<{ bytes: number; keyframe: boolean; refine: boolean; width: number }> = [];
  const errors: string[] = [];

  /** waits until every probe shows `colour`; fails with what the canvas showed */
  async function expectCanvas(colour: string, withinMs = 15_000): Promise<void> {
    const want = rgb(colour);
    let last: Rgb[] | null = null;
    await poll(async () => {
      last = await canvasColours(tech.page, PROBES);
      return last?.every((c) => closeTo(c, want));
    }, withinMs, () => `the canvas to be ${colour}; it shows ${(last as Rgb[] | null)?.map(hex).join(' ') ?? 'nothing'}\n${errors.join('\n')}\n${tech.log.join('\n')}`, 100);
  }

  beforeAll(async () => {
    assertAppsBuilt();
    srv = await startTestServer();
    screen = await startTwoMonitors();
    await screen.fill(LEFT, '#e01010');
    await screen.fill(RIGHT, '#10c010');
    browser = await launchTechnicianBrowser();
    tech = await openPage(browser, 'console', { locale: 'en-GB', viewport: { width: 1400, height: 900 } });
    customer = await srv.customer();
    const sessionP = customer.once('session');
    await technicianSignsIn(tech.page, srv.url, TECH_LOGIN, TECH_PASSWORD);
    await technicianConnects(tech.page, { id: customer.id, password: customer.password! });
    session = await sessionP;
    feature = new ScreenFeature({ capture: { display: screen.display } });
    feature.on('frame', (f) => frames.push({ bytes: f.bytes, keyframe: f.keyframe, refine: f.refine, width: f.width }));
    const log = { error: (o: object, m: string) => void errors.push(`${m} ${String((o as { err?: unknown }).err)}`) };
    stopFeatures = runFeatures(session, [feature], log);
  });

  afterEach(() => {
    expect(cspViolations(tech), 'Content-Security-Policy violations').toEqual([]);
  });

  afterAll(async () => {
    await customer?.end().catch(() => undefined);
    await stopFeatures?.();
    await browser?.close();
    await screen?.stop();
    await srv?.close();
  });

  it('shows the primary monitor (1920x1080 of the 3840x1080 screen) with its colour, and changes as they happen', async () => {
    await expectCanvas('#e01010');
    const size = await tech.page.evaluate(() => {
      const c = document.querySelector('[data-testid="viewer-canvas"]') as HTMLCanvasElement;
      return [c.width, c.height];
    });
    expect(size).toEqual([1920, 1080]);
    expect(frames[0]?.keyframe).toBe(true);
    const beforeFill = frames.length;
    await screen.fill(LEFT, '#1010e0');
    await expectCanvas('#1010e0', 5_000);
    // the still screen's sharp frame (an IDR, 200 ms after the change) has gone out, so the next frame is the change below
    await expect.poll(() => frames.slice(beforeFill).some((f) => f.refine), { message: "the still screen's sharp frame", timeout: 5_000 }).toBe(true);
    // a small change is a small frame (DAMAGE: only what changed costs; x264: a P-frame)
    const before = frames.length;
    await screen.painter.fill(rgb('#e0e010'), [{ x: 100, y: 100, width: 40, height: 40 }]);
    await poll(async () => frames.length > before, 5_000, 'a frame for the small change');
    expect(frames.at(-1)!.keyframe).toBe(false);
    expect(frames.at(-1)!.bytes).toBeLessThan(5_000);
  });

  it('sends nothing while nothing changes on the screen', async () => {
    // the last change has settled: its sharp frame went out, after which the pump is idle
    await expect.poll(() => frames.at(-1)?.refine, { message: 'the last frame is a sharp one', timeout: 5_000 }).toBe(true);
    const before = frames.length;
    await expectNothingFor(3_000, 'no frame is sent while nothing changes', () => expect(frames.length - before).toBe(0));
    // and a change on the monitor that is not shown sends nothing either
    await screen.fill(RIGHT, '#d010d0');
    await expectNothingFor(1_000, 'a change on the monitor that is not shown sends no frame', () => expect(frames.length - before).toBe(0));
  });

  it('lets the technician switch to the second monitor', async () => {
    const select = tech.page.getByTestId('monitor-select');
    await select.waitFor({ state: 'visible', timeout: 5_000 });
    const options = await select.locator('option').allTextContents();
    expect(options).toHaveLength(2);
    expect(options[0]).toContain('LEFT');
    expect(options[1]).toContain('RIGHT');
    await select.selectOption({ index: 1 });
    await expectCanvas('#d010d0');
    expect(feature.geometry().monitor).toEqual({ x: 1920, y: 0, width: 1920, height: 1080 });
    await screen.fill(RIGHT, '#10d0d0');
    await expectCanvas('#10d0d0', 5_000);
    await select.selectOption({ index: 0 });
    await expectCanvas('#1010e0');
  });

  it('draws the customer’s pointer over the video where it is on the shown monitor', async () => {
    execProgramSync('xdotool', ['mousemove', '700', '400'], { env: { ...process.env, DISPLAY: screen.display } });
    const cursor = tech.page.getByTestId('viewer-cursor');
    await poll(async () => (await cursor.isVisible()) && (await cursor.getAttribute('data-x')) === '700' && (await cursor.getAttribute('data-y')) === '400', 5_000, 'the pointer to show at 700,400');
    // the shape is drawn: some opaque pixels
    const opaque = await tech.page.evaluate(() => {
      const c = document.querySelector('[data-testid="viewer-cursor"]') as HTMLCanvasElement;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i]! > 128) n++;
      return n;
    });
    expect(opaque).toBeGreaterThan(10);
    // on the other monitor it is hidden
    execProgramSync('xdotool', ['mousemove', '2500', '400'], { env: { ...process.env, DISPLAY: screen.display } });
    await poll(async () => !(await cursor.isVisible()), 5_000, 'the pointer to hide while it is on the other monitor');
    expect(errors).toEqual([]);
  });
});
