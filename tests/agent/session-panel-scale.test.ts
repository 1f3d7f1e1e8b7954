import { describe, expect, it } from 'vitest';
import { technicianConnects, technicianSignsIn, visible } from '@fernhilfe/testkit';
import { TECH_LOGIN, TECH_PASSWORD } from '../support/server.js';
import { acceptAndReadCredentials } from './support/agent-page.js';
import { bgrOf } from './support/panel-desktop.js';
import { panelRig } from './support/panel-rig.js';

/**
 * Issue 20's "readable at 200 % scaling", on a real X server: the desktop says 200 % the way GNOME,
 * KDE and `xrdb` do (`Xft.dpi: 192` in the root window's RESOURCE_MANAGER), the agent runs in English
 * without any override, and the panel on the screen is exactly the panel drawn at scale 2 (twice the
 * width and height of 100 %, every pixel), above a full-screen xterm.
 */
describe('the session panel on a desktop at 200 %', () => {
  const rig = panelRig({ lang: 'en', xftDpi: 192 });

  it('is drawn at twice the size, in English, exactly as rendered at scale 2, above the full-screen window', async () => {
    const creds = await acceptAndReadCredentials(rig.run.cust);
    await technicianSignsIn(rig.tech.page, rig.srv.url, TECH_LOGIN, TECH_PASSWORD);
    await technicianConnects(rig.tech.page, creds);
    await visible(rig.run.cust.page, 'technician-name', 10_000);
    const normal = await rig.expected({});
    const large = await rig.expected({}, { scale: 2 });
    expect(large.image.width).toBe(normal.image.width * 2);

    const panelId = await rig.desktop.panelWindow();
    await rig.desktop.activateXterm();
    await rig.expectPanelShows(panelId, large, `the panel at 200 % (${large.image.width}x${large.image.height}) above the xterm`);
    // English on the screen: the German panel for the same state is other pixels
    const german = await rig.expected({}, { scale: 2, lang: 'de' });
    expect((await rig.desktop.grab(await rig.desktop.geometry(panelId))).equals(bgrOf(german.image)), 'the panel speaks the customer’s language').toBe(false);

    await rig.run.cust.page.getByTestId('end-session').click();
    expect(await rig.run.agent.exited).toBe(0);
  });
});
