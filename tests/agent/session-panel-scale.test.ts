import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execProgram } from '@fernhilfe/programs';
import { initialFlowState, type Branding, type CustomerFlowState } from '@fernhilfe/protocol';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { technicianConnects, technicianSignsIn, visible } from '@fernhilfe/testkit';
import { panelModel } from '../../packages/agent/src/panel/panel-model.js';
import { renderPanel } from '../../packages/agent/src/panel/render.js';
import { assertAppsBuilt, cspViolations, launchTechnicianBrowser, openPage, textOf, type WatchedPage } from '../e2e/support/browser.js';
import { startScreen, type XScreen } from '../e2e/support/xvfb.js';
import { startTestServer, TECH_LOGIN, TECH_PASSWORD, type TestServer } from '../support/server.js';
import { acceptAndReadCredentials, startAgentWithPage, type AgentWithPage } from './support/agent-page.js';
import { assertAgentBuilt } from './support/agent-process.js';
import { bgrOf, startPanelDesktop, type PanelDesktop } from './support/panel-desktop.js';

const TECHNICIAN = { displayName: 'Max Mustermann', company: 'Beispiel GmbH' };

/**
 * Issue 20's "readable at 200 % scaling", on a real X server: the desktop says 200 % the way GNOME,
 * KDE and `xrdb` do (`Xft.dpi: 192` in the root window's RESOURCE_MANAGER), the agent runs in English
 * without any override, and the panel on the screen is exactly the panel drawn at scale 2 (twice the
 * width and height of 100 %, every pixel), above a full-screen xterm.
 */
describe('the session panel on a desktop at 200 %', () => {
  let srv: TestServer;
  let screen: XScreen;
  let desktop: PanelDesktop;
  let browser: Browser;
  let run: AgentWithPage;
  let tech: WatchedPage;
  let dir: string;

  beforeAll(async () => {
    assertAgentBuilt();
    assertAppsBuilt();
    dir = mkdtempSync(path.join(tmpdir(), 'fernhilfe-panel-200-'));
    srv = await startTestServer();
    screen = await startScreen();
    const resources = path.join(dir, 'Xresources');
    writeFileSync(resources, 'Xft.dpi: 192\n');
    await execProgram('xrdb', ['-merge', resources], { env: { ...process.env, DISPLAY: screen.display } });
    desktop = await startPanelDesktop(screen.display, path.join(dir, 'typed.txt'));
    browser = await launchTechnicianBrowser();
    // no override: the scale comes from the desktop's Xft.dpi alone
    run = await startAgentWithPage(srv.url, browser, { lang: 'en', env: { DISPLAY: screen.display, FERNHILFE_PANEL_SCALE: '' } });
    tech = await openPage(browser, 'technician', { viewport: { width: 1280, height: 860 }, locale: 'en-US' });
  });
  afterAll(async () => {
    await run?.agent.kill();
    await browser?.close();
    await desktop?.stop();
    await screen?.stop();
    await srv?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    expect(cspViolations(run?.cust, tech), 'Content-Security-Policy violations').toEqual([]);
  });

  it('is drawn at twice the size, in English, exactly as rendered at scale 2, above the full-screen window', async () => {
    const creds = await acceptAndReadCredentials(run.cust);
    await technicianSignsIn(tech.page, srv.url, TECH_LOGIN, TECH_PASSWORD);
    await technicianConnects(tech.page, creds);
    await visible(run.cust.page, 'technician-name', 10_000);
    const branding = (await (await fetch(`${srv.url}/api/branding`)).json()) as Branding;
    const state: CustomerFlowState = {
      ...initialFlowState,
      phase: 'active',
      technician: TECHNICIAN,
      sas: await textOf(run.cust.page, 'sas'),
      consent: { available: ['control', 'clipboard'], granted: { control: false, clipboard: false, recording: false }, pending: [] },
    };
    const noFiles = { folder: '', maySend: false, transfers: [], offers: [] };
    const model = panelModel(state, noFiles, 'en', branding)!;
    const normal = renderPanel(model, { scale: 1 });
    const large = renderPanel(model, { scale: 2 });
    expect(large.image.width).toBe(normal.image.width * 2);

    const panelId = await desktop.panelWindow();
    await desktop.activateXterm();
    await expect
      .poll(
        async () => {
          const geo = await desktop.geometry(panelId);
          if (geo.width !== large.image.width || geo.height !== large.image.height) return `window ${geo.width}x${geo.height}`;
          return (await desktop.grab(geo)).equals(bgrOf(large.image)) ? 'shown' : 'other pixels';
        },
        { timeout: 10_000, message: `the panel at 200 % (${large.image.width}x${large.image.height}) above the xterm` },
      )
      .toBe('shown');
    // English on the screen: the German panel for the same state is other pixels
    const german = renderPanel(panelModel(state, noFiles, 'de', branding)!, { scale: 2 });
    expect((await desktop.grab(await desktop.geometry(panelId))).equals(bgrOf(german.image)), 'the panel speaks the customer’s language').toBe(false);

    await run.cust.page.getByTestId('end-session').click();
    expect(await run.agent.exited).toBe(0);
  });
});
