import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startNotificationServer, visible, type NotificationServer } from '@fernhilfe/testkit';
import { assertAppsBuilt, cspViolations, launchTechnicianBrowser, openPage, SCREENSHOTS, textOf, type WatchedPage } from '../e2e/support/browser.js';
import { canvasColours, closeTo, hex, technicianConnects, technicianSignsIn } from '../e2e/support/flows.js';
import { startMutter, type MutterDesktop } from '../support/mutter.js';
import { expectNothingFor } from '../support/quiet.js';
import { startTestServer, TECH_LOGIN, TECH_PASSWORD, type TestServer } from '../support/server.js';
import { platforms } from '@fernhilfe/agent';
import type { CapturedFrame, InputInjector, ScreenCapture } from '../../packages/agent/src/platform/types.js';
import { builtAgent } from './build-fixture.js';
import { findShareDialog, nextPicture, switchOn, type ShareDialog } from './support/portal-dialog.js';
import { assertAgentBuilt } from './support/agent-process.js';
import { acceptAndReadCredentials, startAgentWithPage, type AgentWithPage } from './support/agent-page.js';
import { typeInConsole } from './support/console-keys.js';
import { enter, keystrokes } from './support/input-keys.js';

const TEXT = 'Grüße @€{}[]|\\~ 123';
const SCREEN = { width: 1280, height: 720 };
const RED: [number, number, number] = [0xe0, 0x10, 0x10];

/**
 * QuickSupport on GNOME/Wayland end to end: headless mutter with PipeWire in a private D-Bus session
 * (German keyboard), a red foot window whose `cat` writes a file, the real server, the agent from
 * source started as the customer would (its environment is the GNOME session's, with an XWayland-like
 * DISPLAY beside it), its page and the console in Chromium. The console shows foot's pixels; control
 * is asked in the console, and the agent announces it as a desktop notification too (the test owns
 * org.freedesktop.Notifications on the session bus, as gnome-shell would): the German customer allows
 * it with the notification's Erlauben (agent from source), the English one in the program's page
 * (the built single-file Linux program, build-fixture.ts), which takes the notification away. German
 * text typed in the console arrives exactly; Take back control stops input at once; End ends the
 * session and the pair is dead.
 * Then the portal route (a desktop that is not GNOME): the agent asks xdg-desktop-portal, GNOME's
 * portal backend shows its sharing dialog on the headless screen, the page explains it, and the test
 * clicks "Allow remote interaction" and Share as the customer would (through mutter's own API).
 */
describe('QuickSupport on GNOME/Wayland, with the console', () => {
  let srv: TestServer;
  let desktop: MutterDesktop;
  /** the session's notification server (gnome-shell's part, which headless mutter lacks) */
  let notifications: NotificationServer;
  let browser: Browser;
  let tech: WatchedPage;
  let run: AgentWithPage | undefined;
  let typed: string;
  /** the test's own eyes and hand on the desktop (mutter's API, as the customer's screen and mouse) */
  let capture: ScreenCapture | undefined;
  let hand: InputInjector | undefined;

  beforeAll(async () => {
    assertAppsBuilt();
    assertAgentBuilt();
    srv = await startTestServer();
    desktop = await startMutter({ layout: 'de' });
    notifications = await startNotificationServer(desktop.env.DBUS_SESSION_BUS_ADDRESS!);
    typed = path.join(desktop.dir, 'typed.txt');
    desktop.start('foot', ['-o', 'colors.background=e01010', 'sh', '-c', `cat > ${typed}`]);
    await vi.waitFor(() => expect(existsSync(typed)).toBe(true), { timeout: 15_000 });
    browser = await launchTechnicianBrowser();
  }, 90_000);

  afterEach(() => {
    expect(cspViolations(tech), 'Content-Security-Policy violations').toEqual([]);
  });

  afterAll(async () => {
    capture?.close();
    await hand?.close();
    await run?.agent.kill();
    await browser?.close();
    notifications?.stop();
    await desktop?.stop();
    await srv?.close();
  });

  /** clicks the console's canvas where the screen point (x, y) is shown */
  async function clickScreen(x: number, y: number): Promise<void> {
    const box = (await tech.page.getByTestId('viewer-canvas').boundingBox())!;
    await tech.page.mouse.click(box.x + (x / SCREEN.width) * box.width, box.y + (y / SCREEN.height) * box.height);
  }

  /**
   * Control asked in the console and allowed, in the program's page or (`allow: 'notification'`) with
   * the desktop notification's Allow, which the agent sends too: there is no panel on Wayland. Answered
   * in the page, the notification goes. Then German text typed in the console arrives exactly in foot.
   */
  async function controlAndType(before: string, allow: 'page' | 'notification' = 'page'): Promise<void> {
    const earlier = notifications.notes.length;
    await tech.page.getByTestId('control-toggle').click();
    await visible(run!.cust.page, 'allow-control', 10_000);
    await vi.waitFor(() => expect(notifications.notes.length, `no notification\nagent:\n${run!.agent.stderr().slice(-2000)}`).toBe(earlier + 1), { timeout: 10_000 });
    const note = notifications.notes[earlier]!;
    if (allow === 'notification') {
      expect(note).toEqual({ id: note.id, appName: 'Fernhilfe', summary: 'Fernhilfe: Fernwartung', body: 'Der Techniker bittet darum, Ihren Computer zu steuern (Maus und Tastatur).', actions: ['allow', 'Erlauben', 'refuse', 'Ablehnen'], urgency: 2 });
      notifications.press(note.id, 'allow');
      // answered as with the page's button: the page's question goes too
      await run!.cust.page.getByTestId('allow-control').waitFor({ state: 'detached', timeout: 10_000 });
    } else {
      await run!.cust.page.getByTestId('allow-control').click();
      await vi.waitFor(() => expect(notifications.closed).toContain(note.id), { timeout: 10_000 });
    }
    await tech.page.getByTestId('viewer-canvas').and(tech.page.locator('[data-controlling="true"]')).waitFor({ timeout: 10_000 });
    await clickScreen(640, 360);
    await typeInConsole(tech.page, [...keystrokes(TEXT, 'de'), ...enter]);
    await vi.waitFor(() => expect(readFileSync(typed, 'utf8'), `agent:\n${run!.agent.stderr().slice(-3000)}`).toBe(before + TEXT + '\n'), { timeout: 15_000 });
  }

  const agents = [
    // a German customer who answers in the desktop notification
    { name: 'the agent from source', program: () => Promise.resolve(undefined), lang: 'de', allow: 'notification' },
    // the single-file program: dbus-next bundled, koffi's Linux module and the encoder inside
    { name: 'the built Linux program', program: async () => (await builtAgent()).file, lang: 'en', allow: 'page' },
  ] as const;
  for (const agent of agents) {
  it(`${agent.name}: shows the foot window, types German text after the customer allows control (in the ${agent.allow}), stops at Take back control, and End kills the pair`, async () => {
    const program = await agent.program();
    // the customer's own home and cache (where the built encoder is), the GNOME session's bus, runtime folder and display
    const { HOME: _home, XDG_CACHE_HOME: _cache, ...session } = desktop.env;
    run = await startAgentWithPage(srv.url, browser, { env: { ...session, DISPLAY: ':77' }, lang: agent.lang, ...(program ? { program } : {}) });
    const before = readFileSync(typed, 'utf8');
    const { id, password } = await acceptAndReadCredentials(run.cust);
    expect(run.agent.stderr()).toMatch(/screen sharing and remote control through wayland: a GNOME Wayland session/);

    tech = await openPage(browser, 'console', { locale: 'de-DE', viewport: { width: 1400, height: 900 } });
    await technicianSignsIn(tech.page, srv.url, TECH_LOGIN, TECH_PASSWORD);
    await technicianConnects(tech.page, { id, password });

    // foot fills the middle of the screen in red; the desktop's corner is not red
    let seen: string | undefined;
    await vi.waitFor(async () => {
      const colours = await canvasColours(tech.page, [{ x: 640, y: 360 }, { x: 4, y: 4 }], SCREEN);
      seen = colours?.map(hex).join(' ');
      expect(colours && closeTo(colours[0]!, RED) && !closeTo(colours[1]!, RED), `the canvas shows ${seen ?? 'nothing'}\nagent:\n${run!.agent.stderr().slice(-3000)}\nconsole:\n${tech.log.join('\n')}`).toBe(true);
    }, { timeout: 30_000, interval: 200 });
    expect(await tech.page.evaluate(() => (document.querySelector('[data-testid="viewer-canvas"]') as HTMLCanvasElement).width)).toBe(SCREEN.width);

    // control: asked in the console, allowed in the program's page or the desktop notification
    await controlAndType(before, agent.allow);

    // Take back control: the console says so, and keys typed afterwards do not arrive
    await run.cust.page.getByTestId('revoke-control').click();
    await expect.poll(() => textOf(tech.page, 'control-status'), { timeout: 5_000 }).toBe('Der Kunde hat die Steuerung zurückgenommen.');
    await clickScreen(640, 360);
    await typeInConsole(tech.page, [...keystrokes('zu spät', 'de'), ...enter]);
    await expectNothingFor(1_000, 'keys typed after Take back control do not reach foot', () => expect(readFileSync(typed, 'utf8')).toBe(before + TEXT + '\n'));

    // End: the program ends, and the ID and password open nothing any more
    await run.cust.page.getByTestId('end-session').click();
    expect(await run.agent.exited).toBe(0);
    await expect((await srv.technician()).connect(id, password)).rejects.toThrow();
  }, 400_000);
  }

  /** the next picture of the screen as the customer sees it */
  const look = (): Promise<CapturedFrame> => nextPicture(capture!);

  async function click(at: { x: number; y: number }): Promise<void> {
    await hand!.move(at.x, at.y);
    await hand!.button(0, true);
    await hand!.button(0, false);
  }

  it('a desktop that is not GNOME: the portal’s sharing dialog is explained in the page, the customer allows it, the console shows the screen and typed text arrives', async () => {
    // KDE as far as the agent can tell: it takes the portal route; the portal service itself runs with GNOME's backend (the session bus's environment)
    const { HOME: _home, XDG_CACHE_HOME: _cache, ...session } = desktop.env;
    run = await startAgentWithPage(srv.url, browser, { env: { ...session, XDG_CURRENT_DESKTOP: 'KDE', DISPLAY: ':77' } });
    const before = readFileSync(typed, 'utf8');
    const { id, password } = await acceptAndReadCredentials(run.cust);
    expect(run.agent.stderr()).toMatch(/through wayland: a Wayland session \(XDG_SESSION_TYPE=wayland, XDG_CURRENT_DESKTOP=KDE\): screen and input through the desktop portal/);
    vi.stubEnv('XDG_RUNTIME_DIR', desktop.env.XDG_RUNTIME_DIR!);
    const mine = { ...desktop.env, FERNHILFE_WAYLAND: 'mutter' };
    capture = await platforms.wayland.openCapture(mine);
    hand = await platforms.wayland.openInjector(mine);

    tech = await openPage(browser, 'console', { locale: 'de-DE', viewport: { width: 1400, height: 900 } });
    await technicianSignsIn(tech.page, srv.url, TECH_LOGIN, TECH_PASSWORD);
    await technicianConnects(tech.page, { id, password });

    // the page says what comes, and the desktop's own dialog shows on the screen
    await expect.poll(() => textOf(run!.cust.page, 'desktop-consent'), { timeout: 60_000 }).toMatch(/^Your desktop will now ask you in a window of its own to allow sharing: .*then click Share\.$/);
    let dialog: ShareDialog | undefined;
    await vi.waitFor(async () => {
      dialog = findShareDialog(await look());
      expect(dialog?.allowInput, `no sharing dialog on the screen yet\nagent:\n${run!.agent.stderr().slice(-2000)}`).toBeDefined();
    }, { timeout: 60_000, interval: 250 });
    // until the customer answers the dialog, the page does not claim the screen is seen
    expect(await run.cust.page.getByTestId('agent-screen-shared').count()).toBe(0);
    await run.cust.page.screenshot({ path: path.join(SCREENSHOTS, 'agent-wayland-portal-consent.png') });
    // "Allow remote interaction": clicked again while it does not show on (a first click can reach the dialog before it takes input)
    const toggle = dialog!.allowInput!;
    await vi.waitFor(async () => {
      if (switchOn(await look(), toggle)) return;
      await click(toggle);
      await vi.waitFor(async () => expect(switchOn(await look(), toggle)).toBe(true), { timeout: 3_000, interval: 100 });
    }, { timeout: 30_000, interval: 100 });
    await click(dialog!.share);

    // the console shows foot's red pixels through the portal's stream; the page's notice is gone
    await vi.waitFor(async () => {
      const colours = await canvasColours(tech.page, [{ x: 640, y: 360 }, { x: 4, y: 4 }], SCREEN);
      expect(colours && closeTo(colours[0]!, RED) && !closeTo(colours[1]!, RED), `the canvas shows ${colours?.map(hex).join(' ') ?? 'nothing'}\nagent:\n${run!.agent.stderr().slice(-3000)}`).toBe(true);
    }, { timeout: 30_000, interval: 200 });
    await run.cust.page.getByTestId('desktop-consent').waitFor({ state: 'detached', timeout: 10_000 });
    await visible(run.cust.page, 'agent-screen-shared', 10_000);

    // control through the portal's input: asked in the console, allowed in the page, typed text arrives
    await controlAndType(before);

    await run.cust.page.getByTestId('end-session').click();
    expect(await run.agent.exited).toBe(0);
    vi.unstubAllEnvs();
  }, 240_000);
});
