import { execProgram, spawnProgram } from '@fernhilfe/programs';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerEndpoint, SecureSession } from '@fernhilfe/client';
import { clipboardFeature } from '../../packages/agent/src/clipboard/feature.js';
import { X11Clipboard } from '../../packages/agent/src/platform/x11/clipboard.js';
import { Consent } from '../../packages/agent/src/consent/consent.js';
import { consentFeature } from '../../packages/agent/src/consent/feature.js';
import { inputFeature } from '../../packages/agent/src/input/feature.js';
import { X11Injector } from '../../packages/agent/src/platform/x11/injector.js';
import { runFeatures } from '../../packages/agent/src/session/wiring.js';
import { assertAppsBuilt, cspViolations, launchTechnicianBrowser, openPage, textOf, type WatchedPage } from '../e2e/support/browser.js';
import { technicianConnects, technicianSignsIn } from '../e2e/support/flows.js';
import { startTestServer, TECH_LOGIN, TECH_PASSWORD, type TestServer } from '../support/server.js';
import { expectNothingFor } from '../support/quiet.js';
import { typeInConsole as typeKeys } from './support/console-keys.js';
import { enter, keystrokes } from './support/input-keys.js';
import { sendScreenVideo, type TestVideo } from './support/input-video.js';
import { startInputScreen, until, type InputScreen } from './support/input-x.js';

const TEXT = 'Grüße @€{}[]|\\~ 123';
const SIZE = { width: 1280, height: 800 };

/**
 * The technician in the real console (headless Chromium, German) controls a real X screen: asks for
 * control, the customer allows it through the agent's Consent API, the technician clicks into an
 * xterm on the shared screen and types; the xterm receives exactly the text, with the X keyboard set to
 * German and to US. The customer revokes: further clicks and keys have no effect. The clipboard panel
 * works both ways once allowed.
 */
describe('the console controls a real X screen', () => {
  let srv: TestServer;
  let screen: InputScreen;
  let browser: Browser;
  let tech: WatchedPage;
  let customer: CustomerEndpoint;
  let session: SecureSession;
  let consent: Consent;
  let video: TestVideo;
  let stopFeatures: () => Promise<void>;
  const errors: string[] = [];

  beforeAll(async () => {
    assertAppsBuilt();
    srv = await startTestServer();
    screen = await startInputScreen();
    browser = await launchTechnicianBrowser();
    tech = await openPage(browser, 'console', { locale: 'de-DE', viewport: { width: 1400, height: 900 } });
    customer = await srv.customer();
    consent = new Consent();
    const sessionP = customer.once('session');
    await technicianSignsIn(tech.page, srv.url, TECH_LOGIN, TECH_PASSWORD);
    await technicianConnects(tech.page, { id: customer.id, password: customer.password! });
    session = await sessionP;
    const log = { error: (o: object, m: string) => void errors.push(`${m} ${String((o as { err?: unknown }).err)}`), warn: (_: object, m: string) => void errors.push(m) };
    stopFeatures = runFeatures(
      session,
      [
        consentFeature(consent),
        inputFeature({ consent, openInjector: () => X11Injector.open(screen.display), log }),
        clipboardFeature({ consent, openClipboard: () => X11Clipboard.open(screen.display), log }),
      ],
      log,
    );
    video = sendScreenVideo(session, screen.display, SIZE);
    const shown = await until(() => tech.page.evaluate(() => (document.querySelector('[data-testid="viewer-canvas"]') as HTMLCanvasElement | null)?.width === 1280), 20_000, 100);
    expect(shown, `the console shows the X screen\n${tech.log.join('\n')}`).toBe(true);
  });

  afterEach(() => {
    expect(cspViolations(tech), 'Content-Security-Policy violations').toEqual([]);
  });

  afterAll(async () => {
    await video?.stop();
    await customer?.end().catch(() => undefined);
    await stopFeatures?.();
    await browser?.close();
    await screen?.stop();
    await srv?.close();
  });

  /** clicks the canvas where the screen point (x, y) is shown */
  async function clickScreen(x: number, y: number): Promise<void> {
    const box = (await tech.page.getByTestId('viewer-canvas').boundingBox())!;
    await tech.page.mouse.click(box.x + (x / SIZE.width) * box.width, box.y + (y / SIZE.height) * box.height);
  }

  /** Types as a technician with a German keyboard would (console-keys.ts), then Enter. */
  const typeInConsole = (text: string) => typeKeys(tech.page, [...keystrokes(text, 'de'), ...enter]);

  async function takeControl(): Promise<void> {
    const asked = consent.once('requested');
    await tech.page.getByTestId('control-toggle').click();
    expect(await textOf(tech.page, 'control-status')).toBe('Warte, bis der Kunde die Steuerung erlaubt …');
    expect((await asked).what).toBe('control');
    consent.allow('control');
    await tech.page.getByTestId('viewer-canvas').and(tech.page.locator('[data-controlling="true"]')).waitFor({ timeout: 5_000 });
    expect(await textOf(tech.page, 'control-status')).toBe('Sie steuern Maus und Tastatur des Kunden.');
  }

  for (const layout of ['de', 'us'] as const) {
    it(`the technician types "${TEXT}" into an xterm with the X keyboard set to ${layout}: it arrives exactly`, async () => {
      await screen.setLayout(layout);
      await takeControl();
      const before = screen.typed();
      await clickScreen(screen.terminal.x + 50, screen.terminal.y + 30);
      await typeInConsole(TEXT);
      await until(() => screen.typed().length > before.length, 10_000);
      expect(screen.typed()).toBe(before + TEXT + '\n');
      // Return is typed on its press; its release follows over the network: then no key is held
      expect(await until(async () => (await screen.keysDown()).length === 0, 5_000), `still held: ${String(await screen.keysDown())}`).toBe(true);

      // the customer takes control back: the console says so, and clicks and keys do nothing any more
      consent.revoke('control');
      await until(async () => (await textOf(tech.page, 'control-status')) === 'Der Kunde hat die Steuerung zurückgenommen.', 5_000);
      expect(await textOf(tech.page, 'control-status')).toBe('Der Kunde hat die Steuerung zurückgenommen.');
      const pointer = await screen.pointer();
      await clickScreen(900, 600);
      await typeInConsole('zu spät');
      await expectNothingFor(700, 'keys typed in the console after take back control do not reach the screen', () => expect(screen.typed()).toBe(before + TEXT + '\n'));
      expect(await screen.pointer()).toEqual(pointer);
      expect(await screen.keysDown()).toEqual([]);
      expect(errors).toEqual([]);
    });
  }

  it('a key held when the console loses focus is released on the customer\'s side', async () => {
    await takeControl();
    await clickScreen(screen.terminal.x + 50, screen.terminal.y + 30);
    await tech.page.keyboard.down('Shift');
    expect(await until(async () => (await screen.keysDown()).length === 1, 5_000)).toBe(true);
    await tech.page.getByTestId('chat-input').focus(); // the canvas loses the focus
    expect(await until(async () => (await screen.keysDown()).length === 0, 5_000)).toBe(true);
    await tech.page.keyboard.up('Shift');
    await tech.page.getByTestId('control-toggle').click(); // release control
    expect(await textOf(tech.page, 'control-status')).toBe('Nur ansehen');
  });

  it('the clipboard panel shares text both ways once the customer allows it', async () => {
    const env = { ...process.env, DISPLAY: screen.display };
    const asked = consent.once('requested');
    await tech.page.getByTestId('clipboard-toggle').click();
    expect((await asked).what).toBe('clipboard');
    consent.allow('clipboard');
    await tech.page.getByTestId('clipboard-input').waitFor({ timeout: 5_000 });
    expect(await textOf(tech.page, 'clipboard-status')).toBe('Die Zwischenablage wird in beide Richtungen geteilt.');

    await new Promise<void>((resolve, reject) => {
      const child = spawnProgram('xclip', ['-i', '-selection', 'clipboard'], { env, stdio: ['pipe', 'ignore', 'ignore'] });
      child.once('error', reject);
      child.once('exit', () => resolve());
      child.stdin!.end('Seriennummer: ÄÖÜ-4711');
    });
    await until(async () => (await tech.page.getByTestId('clipboard-from-customer').inputValue()) === 'Seriennummer: ÄÖÜ-4711', 5_000);
    expect(await tech.page.getByTestId('clipboard-from-customer').inputValue()).toBe('Seriennummer: ÄÖÜ-4711');

    await tech.page.getByTestId('clipboard-input').fill('sudo apt install hilfe €');
    await tech.page.getByTestId('clipboard-send').click();
    const paste = () => execProgram('xclip', ['-o', '-selection', 'clipboard'], { env, timeout: 5_000 }).then(({ stdout }) => stdout, () => '');
    expect(await until(async () => (await paste()) === 'sudo apt install hilfe €', 5_000)).toBe(true);
  });
});
