import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execProgram } from '@fernhilfe/programs';
import { initialFlowState, type Branding, type CustomerFlowState } from '@fernhilfe/protocol';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { panelModel } from '../../../packages/agent/src/panel/panel-model.js';
import { renderPanel, type RenderedPanel } from '../../../packages/agent/src/panel/render.js';
import { assertAppsBuilt, cspViolations, launchTechnicianBrowser, openPage, textOf, type WatchedPage } from '../../e2e/support/browser.js';
import { startScreen, type XScreen } from '../../e2e/support/xvfb.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { startAgentWithPage, type AgentWithPage } from './agent-page.js';
import { assertAgentBuilt } from './agent-process.js';
import { bgrOf, startPanelDesktop, type PanelDesktop } from './panel-desktop.js';

export const TECHNICIAN = { displayName: 'Max Mustermann', company: 'Beispiel GmbH' };
const noFiles = { folder: '', maySend: false, transfers: [], offers: [] };

/** What a file of session-panel tests shares, set in its beforeAll. */
export interface PanelRig {
  srv: TestServer;
  screen: XScreen;
  desktop: PanelDesktop;
  browser: Browser;
  run: AgentWithPage;
  tech: WatchedPage;
  branding: Branding;
  /** the panel as the agent must draw it for this session in this state */
  expected(consent: Partial<CustomerFlowState['consent']>, o?: { technician?: typeof TECHNICIAN; lang?: 'de' | 'en'; scale?: number }): Promise<RenderedPanel>;
  /** waits until the window `id` on the screen shows exactly `panel` (size and every pixel) */
  expectPanelShows(id: string, panel: RenderedPanel, what: string): Promise<void>;
}

/**
 * Registers the hooks of a file of session-panel tests (issue 20): the real server, an Xvfb with
 * openbox and a full-screen xterm (panel-desktop.ts), the agent with its page in `lang`, and a
 * technician's page in Chromium. `xftDpi` sets the desktop's scaling the way GNOME, KDE and `xrdb`
 * do (`Xft.dpi` in the root window's RESOURCE_MANAGER); without it the panel is forced to 100 %.
 */
export function panelRig(o: { lang: 'de' | 'en'; xftDpi?: number }): PanelRig {
  const rig = {} as PanelRig;
  let dir: string | undefined;
  beforeAll(async () => {
    assertAgentBuilt();
    assertAppsBuilt();
    dir = mkdtempSync(path.join(tmpdir(), 'fernhilfe-panel-'));
    rig.srv = await startTestServer();
    rig.screen = await startScreen();
    if (o.xftDpi) {
      const resources = path.join(dir, 'Xresources');
      writeFileSync(resources, `Xft.dpi: ${o.xftDpi}\n`);
      await execProgram('xrdb', ['-merge', resources], { env: { ...process.env, DISPLAY: rig.screen.display } });
    }
    rig.desktop = await startPanelDesktop(rig.screen.display, path.join(dir, 'typed.txt'));
    rig.browser = await launchTechnicianBrowser();
    // with Xft.dpi no override (an empty one counts as none): the scale comes from the desktop alone
    rig.run = await startAgentWithPage(rig.srv.url, rig.browser, { lang: o.lang, env: { DISPLAY: rig.screen.display, FERNHILFE_PANEL_SCALE: o.xftDpi ? '' : '1' } });
    rig.tech = await openPage(rig.browser, 'technician', { viewport: { width: 1280, height: 860 }, locale: 'en-US' });
    rig.branding = (await (await fetch(`${rig.srv.url}/api/branding`)).json()) as Branding;
  });
  afterAll(async () => {
    await rig.run?.agent.kill();
    await rig.browser?.close();
    await rig.desktop?.stop();
    await rig.screen?.stop();
    await rig.srv?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    expect(cspViolations(rig.run?.cust, rig.tech), 'Content-Security-Policy violations').toEqual([]);
  });

  rig.expected = async (consent, e = {}) => {
    const state: CustomerFlowState = {
      ...initialFlowState,
      phase: 'active',
      technician: e.technician ?? TECHNICIAN,
      sas: await textOf(rig.run.cust.page, 'sas'),
      consent: { available: ['control', 'clipboard'], granted: { control: false, clipboard: false, recording: false }, pending: [], ...consent },
    };
    return renderPanel(panelModel(state, noFiles, e.lang ?? o.lang, rig.branding)!, { scale: e.scale ?? 1 });
  };
  rig.expectPanelShows = async (id, panel, what) => {
    await expect
      .poll(
        async () => {
          const geo = await rig.desktop.geometry(id);
          if (geo.width !== panel.image.width || geo.height !== panel.image.height) return `window ${geo.width}x${geo.height}`;
          return (await rig.desktop.grab(geo)).equals(bgrOf(panel.image)) ? 'shown' : 'other pixels';
        },
        { timeout: 10_000, message: what },
      )
      .toBe('shown');
  };
  return rig;
}
