import path from 'node:path';
import type { CustomerEndpoint, SecureSession } from '@fernhilfe/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TECH_LOGIN, TECH_PASSWORD } from '../support/server.js';
import { sendScreenVideo, type TestVideo } from '../agent/support/input-video.js';
import { openPage, poll, SCREENSHOTS, textOf, type WatchedPage } from './support/browser.js';
import { technicianConnects, technicianSignsIn } from './support/flows.js';
import { browserSuite } from './support/suite.js';
import { rgb, startScreen, type XScreen } from './support/xvfb.js';

const SIZE = { width: 1280, height: 800 };

/**
 * The quality indicator shows the sender's rate control. The customer is a Node CustomerEndpoint that
 * sends the X screen as H.264 (ffmpeg, as in the input tests) and `video-rate` messages the way the
 * agent's sender does; the technician is the real console in headless Chromium. Before the first
 * video-rate the indicator shows only what the console measured; then the bitrate of the limit, the
 * frame rate and "reduced resolution", in English and (after switching the language) in German; a
 * full-size rate drops the note; a stopped share forgets the figures. Writes
 * docs/screenshots/console-rate.png.
 */
describe('the console shows the sender\'s video rate', () => {
  const suite = browserSuite();
  let screen: XScreen;
  let customer: CustomerEndpoint | undefined;
  let video: TestVideo | undefined;

  beforeAll(async () => {
    screen = await startScreen(SIZE);
    // something like a desktop: a background, a window with a title bar and a few lines of text
    const lines = Array.from({ length: 9 }, (_, i) => ({ x: 300, y: 250 + i * 34, width: 420 + ((i * 137) % 260), height: 12 }));
    await screen.painter.paint([
      { color: rgb('#2f5d7c'), rects: [{ x: 0, y: 0, width: SIZE.width, height: SIZE.height }] },
      { color: rgb('#f4f4f2'), rects: [{ x: 260, y: 160, width: 760, height: 470 }] },
      { color: rgb('#3b4a57'), rects: [{ x: 260, y: 160, width: 760, height: 40 }] },
      { color: rgb('#9aa6b2'), rects: lines },
    ]);
  });

  afterAll(async () => {
    await video?.stop();
    await customer?.end().catch(() => undefined);
    await screen?.stop();
  });

  async function connect(page: WatchedPage['page']): Promise<SecureSession> {
    customer = await suite.srv.customer();
    const sessionP = customer.once('session');
    await technicianSignsIn(page, suite.srv.url, TECH_LOGIN, TECH_PASSWORD);
    await technicianConnects(page, { id: customer.id, password: customer.password! });
    return sessionP;
  }

  it('shows bitrate of limit, frame rate and reduced resolution in English and German, and no made-up figures before', async () => {
    const tech = await openPage(suite.browser, 'console', { locale: 'en-US', viewport: { width: 1400, height: 900 } });
    suite.pages.push(tech);
    const { page } = tech;
    const session = await connect(page);
    video = sendScreenVideo(session, screen.display, SIZE);
    await poll(() => page.evaluate(() => (document.querySelector('[data-testid="viewer-canvas"]') as HTMLCanvasElement | null)?.width === 1280), 20_000, () => `the customer's screen in the console\n${tech.log.join('\n')}`);
    const quality = () => textOf(page, 'quality');
    // no video-rate yet (as from a browser share or an older agent): only what the console measured
    await expect.poll(quality, { timeout: 5_000 }).toMatch(/^\d+ fps · (\d+|–) ms delay · [\d,]+ kbit\/s$/);
    expect(await page.getByTestId('quality').getAttribute('data-rate-kbps')).toBe('');

    await session.sendControl({ type: 'video-rate', bitrateKbps: 1800, limitKbps: 4200, fps: 24, scale: 0.5 });
    // (frames keep coming at 5 fps, so the delay of the last second is known: the screenshot shows one)
    await expect.poll(quality, { timeout: 5_000 }).toMatch(/^\d+ ms delay · 1\.8 of 4\.2 Mbit\/s · 24 fps · reduced resolution$/);
    const hint = (await page.getByTestId('quality').getAttribute('title')) ?? '';
    expect(hint).toContain('sends 1.8 Mbit/s at 24 pictures per second');
    expect(hint).toContain('about 4.2 Mbit/s');
    expect(hint).toContain('sent at 50% of its size');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-rate.png') });

    await page.getByTestId('language-select').selectOption('de');
    await expect.poll(quality, { timeout: 5_000 }).toMatch(/^(\d+|–) ms Verzögerung · 1,8 von 4,2 Mbit\/s · 24 B\/s · verringerte Auflösung$/);

    // the sender went back to full size on a slower link: kbit/s, and no note
    await session.sendControl({ type: 'video-rate', bitrateKbps: 600, limitKbps: 900, fps: 12.5, scale: 1 });
    await expect.poll(quality, { timeout: 5_000 }).toMatch(/^(\d+|–) ms Verzögerung · 600 von 900 kbit\/s · 12,5 B\/s$/);

    // the share stops: the figures go with it
    await video.stop();
    await session.sendControl({ type: 'video-stop' });
    await expect.poll(quality, { timeout: 5_000 }).toMatch(/^\d+ B\/s · (\d+|–) ms Verzögerung · [\d.]+ kbit\/s$/);
    expect(await page.getByTestId('quality').getAttribute('data-rate-kbps')).toBe('');
  });
});
