import { execProgram, spawnProgram } from '@fernhilfe/programs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ControlMessage } from '@fernhilfe/protocol';
import { clipboardFeature } from '../../packages/agent/src/clipboard/feature.js';
import { X11Clipboard } from '../../packages/agent/src/platform/x11/clipboard.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectNothingFor } from '../support/quiet.js';
import { openInputSession, type InputSession } from './support/input-session.js';
import { startInputScreen, until, type InputScreen } from './support/input-x.js';

/**
 * Clipboard text both ways between the technician and the customer's X CLIPBOARD selection, only while
 * the customer allows it. xclip (an independent X client) plays the customer's applications copying
 * and pasting.
 */
describe('clipboard sync with a real X server', () => {
  let srv: TestServer;
  let screen: InputScreen;
  let s: InputSession;
  const env = () => ({ ...process.env, DISPLAY: screen.display, LANG: 'C.UTF-8' });

  /** what an application pasting now gets */
  const paste = () =>
    execProgram('xclip', ['-o', '-selection', 'clipboard', '-target', 'UTF8_STRING'], { env: env(), timeout: 5_000, maxBuffer: 8 << 20 }).then(({ stdout }) => stdout, () => '');
  /** an application copies text (xclip keeps serving it in the background until someone else owns the clipboard) */
  const copy = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const child = spawnProgram('xclip', ['-i', '-selection', 'clipboard'], { env: env(), stdio: ['pipe', 'ignore', 'ignore'] });
      child.once('error', reject);
      child.once('exit', () => resolve());
      child.stdin!.end(text);
    });
  const textsHeard = () => s.techHeard.filter((m): m is Extract<ControlMessage, { type: 'clipboard-text' }> => m.type === 'clipboard-text').map((m) => m.text);

  beforeAll(async () => {
    srv = await startTestServer();
    screen = await startInputScreen();
    s = await openInputSession(srv, screen.display, (consent) => [clipboardFeature({ consent, openClipboard: () => X11Clipboard.open(screen.display) })]);
  });
  afterAll(async () => {
    await s?.close();
    await screen?.stop();
    await srv?.close();
  });

  it('shares nothing before the customer allows it', async () => {
    await copy('vorher kopiert');
    await s.tech.sendControl({ type: 'clipboard-text', text: 'nicht erlaubt' });
    await expectNothingFor(500, 'nothing crosses to the technician before the customer allows it', () => expect(textsHeard()).toEqual([]));
    expect(await paste()).toBe('vorher kopiert');
  });

  it('once allowed: the technician\'s text can be pasted, and what the customer copies reaches the technician', async () => {
    const asked = s.consent.once('requested');
    const allowed = s.heard('clipboard-allowed');
    await s.tech.sendControl({ type: 'clipboard-request' });
    expect((await asked).what).toBe('clipboard');
    s.consent.allow('clipboard');
    await allowed;
    expect(textsHeard()).toEqual([]); // what was copied before the grant stays private

    await s.tech.sendControl({ type: 'clipboard-text', text: 'Grüße aus der Ferne: 10 €' });
    expect(await until(async () => (await paste()) === 'Grüße aus der Ferne: 10 €', 5_000)).toBe(true);

    await copy('Fehlermeldung: Zugriff verweigert (ü, ß, 😀)');
    expect(await until(() => textsHeard().includes('Fehlermeldung: Zugriff verweigert (ü, ß, 😀)'), 5_000)).toBe(true);
  });

  it('large text goes in increments (INCR) both ways', async () => {
    const big = 'Zeile mit Umlauten äöü und Text\n'.repeat(9_000); // ~300 KB, over the X request limit
    await s.tech.sendControl({ type: 'clipboard-text', text: big });
    expect(await until(async () => (await paste()) === big, 10_000)).toBe(true);
    const back = 'zurück '.repeat(50_000); // ~400 KB
    await copy(back);
    expect(await until(() => textsHeard().includes(back), 10_000)).toBe(true);
  });

  it('after the customer revokes it, nothing crosses either way', async () => {
    const revoked = s.heard('clipboard-revoked');
    s.consent.revoke('clipboard');
    await revoked;
    const heardBefore = textsHeard().length;
    await copy('nach dem Widerruf');
    await s.tech.sendControl({ type: 'clipboard-text', text: 'vom Techniker nach dem Widerruf' });
    await expectNothingFor(700, 'nothing crosses to the technician after the revoke', () => expect(textsHeard().length).toBe(heardBefore));
    expect(await paste()).toBe('nach dem Widerruf');
  });
});
