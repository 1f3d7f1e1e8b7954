import path from 'node:path';
import { expect, it, describe } from 'vitest';
import { technicianConnects, technicianSignsIn, visible } from '@fernhilfe/testkit';
import { SCREENSHOTS, textOf } from '../e2e/support/browser.js';
import { canvasColours, closeTo } from '../e2e/support/flows.js';
import { expectNothingFor } from '../support/quiet.js';
import { TECH_LOGIN, TECH_PASSWORD } from '../support/server.js';
import { acceptAndReadCredentials } from './support/agent-page.js';
import { bgrOf } from './support/panel-desktop.js';
import { panelRig } from './support/panel-rig.js';
import type { RenderedPanel } from '../../packages/agent/src/panel/render.js';
import { writePngBgrx } from './support/png.js';

/**
 * Issue 20's acceptance test: the native agent (in German) on an Xvfb with a window manager that
 * honours the EWMH hints (openbox), an xterm covering the whole screen, the real server, the
 * console in Chromium. While the session runs the panel is a managed window above the xterm with
 * the technician's name (its pixels on the screen are exactly the panel drawn for that state, and
 * not the one for another name); the console says the customer sees it and shows it in its video;
 * the question for control appears in the panel, Allow clicked there with a real pointer lets the
 * technician type into the xterm, Take back control there stops it, the customer drags it by its
 * title strip elsewhere (where End still works), End session there ends the console's session within
 * 1 s and the pair is dead.
 */
describe('the session panel on top of the customer’s screen', () => {
  const rig = panelRig({ lang: 'de' });
  let creds: { id: string; password: string };
  let panelId: string;
  const expected = rig.expected;
  const expectPanelShows = (panel: RenderedPanel, what: string) => rig.expectPanelShows(panelId, panel, what);

  /** clicks the centre of a panel button with the X pointer (xdotool: a real press and release) */
  const clickPanel = async (panel: RenderedPanel, id: string) => {
    const hit = panel.hits.find((h) => h.id === id);
    if (!hit) throw new Error(`no ${id} in the panel: ${panel.hits.map((h) => h.id).join(', ')}`);
    const geo = await rig.desktop.geometry(panelId);
    await rig.desktop.click(geo.x + hit.rect.x + hit.rect.width / 2, geo.y + hit.rect.y + hit.rect.height / 2);
  };
  /** clicks the console's canvas where the X screen point (x, y) is shown */
  const clickScreen = async (x: number, y: number) => {
    const box = await rig.tech.page.getByTestId('viewer-canvas').boundingBox();
    if (!box) throw new Error('no viewer canvas on the console');
    await rig.tech.page.mouse.click(box.x + (x / 1920) * box.width, box.y + (y / 1080) * box.height);
  };

  it('appears when the technician connects: above the full-screen xterm, no taskbar entry, the technician’s name; the console says so and shows it', async () => {
    creds = await acceptAndReadCredentials(rig.run.cust);
    await technicianSignsIn(rig.tech.page, rig.srv.url, TECH_LOGIN, TECH_PASSWORD);
    await technicianConnects(rig.tech.page, creds);
    await visible(rig.run.cust.page, 'technician-name', 10_000);
    panelId = await rig.desktop.panelWindow();
    const state = await rig.desktop.wmState(panelId);
    expect(state).toContain('_NET_WM_STATE_ABOVE');
    expect(state).toContain('_NET_WM_STATE_SKIP_TASKBAR');
    // the customer goes back to the full-screen window: it is active and raised, the panel stays on top
    await rig.desktop.activateXterm();
    const geo = await rig.desktop.geometry(panelId);
    expect(geo.x + geo.width, 'in the top-right corner').toBeGreaterThan(1920 - 60);
    expect(geo.y).toBeLessThan(60);
    const shown = await expected({});
    await expectPanelShows(shown, 'the panel (Max Mustermann, Beispiel GmbH, Sicherheitscode) above the xterm');
    const someoneElse = await expected({}, { technician: { displayName: 'Erika Musterfrau', company: 'Beispiel GmbH' } });
    expect((await rig.desktop.grab(geo)).equals(bgrOf(someoneElse.image)), 'the name on the screen is the technician’s').toBe(false);

    // the picture for the docs: the panel over the full-screen window (the right part of the screen)
    const full = await rig.desktop.grabScreen();
    const crop = { x: 1920 - 760, y: 0, width: 760, height: 420 };
    writePngBgrx(path.join(SCREENSHOTS, 'session-panel.png'), crop.width, crop.height, full.data.subarray((crop.y * full.width + crop.x) * 4), full.width * 4);

    await visible(rig.tech.page, 'customer-panel', 10_000);
    expect(await textOf(rig.tech.page, 'customer-panel')).toMatch(/customer sees a panel with an End button/);
    // the technician's video shows the panel where it is: its title strip in the operator's colour, the red End button
    const end = shown.hits.find((h) => h.id === 'end-session')!.rect;
    const probes = [
      { x: geo.x + geo.width - 10, y: geo.y + 8 },
      { x: geo.x + end.x + 12, y: geo.y + end.y + end.height / 2 },
    ];
    const primary = [parseInt(rig.branding.primaryColor.slice(1, 3), 16), parseInt(rig.branding.primaryColor.slice(3, 5), 16), parseInt(rig.branding.primaryColor.slice(5, 7), 16)] as const;
    await expect
      .poll(async () => {
        const got = await canvasColours(rig.tech.page, probes);
        return got !== null && closeTo(got[0]!, [...primary]) && closeTo(got[1]!, [192, 38, 45]);
      }, { timeout: 10_000, message: 'the console’s video shows the panel' })
      .toBe(true);
  });

  it('the request for control comes to the panel; Allow there lets the technician type; Take back control there stops it', async () => {
    await rig.tech.page.getByTestId('control-toggle').click();
    const asked = await expected({ pending: ['control'] });
    await expectPanelShows(asked, 'the question "Der Techniker bittet darum, Ihren Computer zu steuern" with Erlauben / Ablehnen');
    await visible(rig.run.cust.page, 'consent-control', 5_000); // the page asks too
    await clickPanel(asked, 'allow-control');
    await rig.tech.page.getByTestId('viewer-canvas').and(rig.tech.page.locator('[data-controlling="true"]')).waitFor({ timeout: 5_000 });
    const granted = await expected({ granted: { control: true, clipboard: false, recording: false } });
    await expectPanelShows(granted, 'controlling, with "Steuerung zurücknehmen"');

    await clickScreen(400, 600);
    await rig.tech.page.keyboard.type('Hallo 123');
    await rig.tech.page.keyboard.press('Enter');
    await expect.poll(() => rig.desktop.xterm.typed(), { timeout: 5_000 }).toBe('Hallo 123\n');

    await clickPanel(granted, 'revoke-control');
    await expect.poll(() => rig.run.cust.page.getByTestId('revoke-control').count(), { timeout: 5_000 }).toBe(0);
    await expectPanelShows(await expected({}), 'back to viewing only');
    await clickScreen(400, 600);
    await rig.tech.page.keyboard.type('nicht mehr');
    await rig.tech.page.keyboard.press('Enter');
    await expectNothingFor(1_500, 'keys after "Take back control" have no effect', () => expect(rig.desktop.xterm.typed()).toBe('Hallo 123\n'));
  });

  it('the customer drags the panel by its title strip to another place: it follows the pointer exactly and stays on top', async () => {
    const panel = await expected({});
    const before = await rig.desktop.geometry(panelId);
    const strip = panel.titleBar;
    const from = { x: before.x + strip.x + 24, y: before.y + strip.y + Math.floor(strip.height / 2) };
    const by = { x: -900, y: 520 };
    await rig.desktop.drag(from, { x: from.x + by.x, y: from.y + by.y });
    await expect
      .poll(async () => {
        const g = await rig.desktop.geometry(panelId);
        return { x: g.x - before.x, y: g.y - before.y };
      }, { timeout: 5_000, message: 'the panel moved with the pointer' })
      .toEqual(by);
    // still above: the customer's full-screen window comes back in front, the panel stays over it, unchanged
    expect(await rig.desktop.wmState(panelId)).toContain('_NET_WM_STATE_ABOVE');
    await rig.desktop.activateXterm();
    await expectPanelShows(panel, 'the same panel in its new place, above the xterm');
  });

  it('End session in the panel ends the console’s session at once; the panel goes; the pair is dead', async () => {
    await clickPanel(await expected({}), 'end-session');
    await rig.tech.page.getByTestId('session-ended').waitFor({ state: 'visible', timeout: 1_000 });
    expect(await textOf(rig.tech.page, 'session-ended')).toMatch(/customer ended/i);
    expect(await rig.run.agent.exited).toBe(0);
    await expect(rig.desktop.panelWindow(1_000), 'the panel is gone with the session').rejects.toThrow();

    await rig.tech.page.goto(`${rig.srv.url}/console/`);
    await visible(rig.tech.page, 'connect-id', 5_000);
    await technicianConnects(rig.tech.page, creds);
    await visible(rig.tech.page, 'connect-error', 5_000);
    expect(await textOf(rig.tech.page, 'connect-error')).toMatch(/customer has left|wrong id or password/i);
  });
});
