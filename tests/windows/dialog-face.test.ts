import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SecureSession } from '@fernhilfe/client';
import type { ControlMessage } from '@fernhilfe/protocol';
import { DialogProbe, type DialogSeen } from './support/dialog-probe.js';
import { startWindowsRig, type WindowsRig } from './support/quicksupport.js';

/**
 * Where no browser can be opened, the QuickSupport program for Windows shows a plain native window:
 * the terms with Accept, then ID and password and what is happening, the technician's request as
 * Allow / Refuse, Take back control, End session. Read and pressed from another Windows program under
 * wine, as a screen reader would; the technician is the client library.
 */
describe('QuickSupport for Windows under wine: the native dialog', () => {
  let rig: WindowsRig;
  let dialog: DialogProbe;

  beforeAll(async () => {
    rig = await startWindowsRig('dialog');
    dialog = new DialogProbe(rig.wine, rig.dir);
  });
  afterAll(async () => {
    await rig?.stop();
  });

  /** polls the dialog (each look is a Windows process: ~1 s under wine) until `check` passes */
  const dialogShows = (check: (seen: DialogSeen) => void, timeout = 30_000): Promise<DialogSeen> =>
    vi.waitFor(
      async () => {
        const seen = await dialog.read();
        try {
          check(seen);
        } catch (err) {
          throw new Error(`the dialog shows ${JSON.stringify(seen)}; the program: ${JSON.stringify(rig.program?.output())}`, { cause: err });
        }
        return seen;
      },
      { timeout, interval: 200 },
    );

  it('terms, ID + password, Allow, Take back control and End, in German', async () => {
    const { srv } = rig;
    const program = (rig.program = rig.start(['--server', srv.url, '--lang', 'de', '--dialog']));
    const terms = await dialogShows((s) => {
      expect(s.found).toBe(true);
      expect(s.text).toContain('Bedingungen');
    });
    expect(terms.title).toMatch(/QuickSupport/);
    expect(terms.text).toContain(srv.terms().de.split('\n').find((l) => l.trim() !== '')!.trim().slice(0, 30));
    expect(terms.buttons).toEqual(['Akzeptieren', 'Ablehnen']);
    await dialog.click('Akzeptieren');

    const shown = await dialogShows((s) => expect(s.text).toMatch(/Passwort: \S+/));
    expect(shown.buttons).toEqual(['Sitzung beenden']);
    expect(shown.text).toContain('Warten auf den Techniker');
    const id = /ID:\s+([\d ]+)/.exec(shown.text)![1]!.replace(/\s/g, '');
    const password = /Passwort: (\S+)/.exec(shown.text)![1]!;

    const session: SecureSession = await (await srv.technician()).connect(id, password);
    const got: ControlMessage[] = [];
    session.on('control', (m) => got.push(m));
    await dialogShows((s) => expect(s.text).toContain(`Verbunden mit Max Mustermann (Beispiel GmbH). Sicherheitscode: ${session.sas}`));

    await session.sendControl({ type: 'control-request' });
    const asked = await dialogShows((s) => expect(s.text).toContain('Computer zu STEUERN'));
    expect(asked.buttons).toEqual(['Erlauben', 'Ablehnen', 'Sitzung beenden']);
    await dialog.click('Erlauben');
    await expect.poll(() => got.some((m) => m.type === 'control-granted'), { timeout: 10_000 }).toBe(true);
    const granted = await dialogShows((s) => expect(s.buttons).toEqual(['Steuerung zurücknehmen', 'Sitzung beenden']));
    expect(granted.text).toContain('steuert jetzt Ihren Computer');

    await dialog.click('Steuerung zurücknehmen');
    await expect.poll(() => got.some((m) => m.type === 'control-revoked'), { timeout: 10_000 }).toBe(true);
    await dialogShows((s) => expect(s.buttons).toEqual(['Sitzung beenden']));

    const ended = session.once('ended');
    await dialog.click('Sitzung beenden');
    expect((await ended).reason).toBe('ended-by-customer');
    expect(await program.exited(30_000), JSON.stringify(program.output())).toBe(0);
    expect((await dialog.read()).found, 'the window is gone with the program').toBe(false);
    await expect((await srv.technician()).connect(id, password)).rejects.toThrow();
  }, 240_000);
});
