import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { InputEvent } from '@fernhilfe/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNothingFor } from '../support/quiet.js';
import { startInputDesktop, type InputDesktop } from './support/input-desktop.js';

/**
 * The agent's Windows clipboard (platform/windows/clipboard.ts) and the Downloads folder under wine:
 * text the technician sends is pasted in Notepad with Ctrl+V, text copied in Notepad with Ctrl+C
 * is noticed and read; a file lands in the wine user's Downloads with the sender's SHA-256.
 */
const key = (code: string, k: string, down: boolean): InputEvent => ({ type: 'key', code, key: k, down });
const ctrl = (code: string, k: string): InputEvent[] => [key('ControlLeft', 'Control', true), key(code, k, true), key(code, k, false), key('ControlLeft', 'Control', false)];
const type = (text: string): InputEvent[] => [...text].flatMap((ch) => [key('KeyA', ch, true), key('KeyA', ch, false)]);

describe('Windows clipboard and Downloads under wine', () => {
  let d: InputDesktop;
  const call = <T = unknown>(method: string, ...args: unknown[]) => d.driver.call<T>(method, ...args);

  beforeAll(async () => {
    d = await startInputDesktop('us');
  }, 180_000);
  afterAll(async () => {
    await d?.stop();
  });

  it("the technician's text goes on the clipboard: read back, and Notepad pastes it", async () => {
    const text = 'Grüße vom Techniker ✓ 日本';
    await call('clipboardWrite', text);
    expect(await call('clipboardRead')).toBe(text);
    await call('clearNotepad');
    await expect.poll(() => call('notepadText')).toBe('');
    await call('events', ctrl('KeyV', 'v'));
    await expect.poll(() => call('notepadText')).toBe(text);
  });

  it('a copy in Notepad is noticed and read; our own write is not reported as a copy', async () => {
    await call('clipboardListen');
    await call('clearNotepad');
    await expect.poll(() => call('notepadText')).toBe('');
    const text = 'kopiert in Notepad: 42 €';
    await call('events', type(text));
    await expect.poll(() => call('notepadText')).toBe(text);
    await call('events', [...ctrl('KeyA', 'a'), ...ctrl('KeyC', 'c')]);
    await expect.poll(() => call('clipboardCopies')).toEqual([text]);
    await call('clipboardWrite', 'from the technician');
    await expectNothingFor(800, 'our own write is not taken for a copy of the customer', async () => expect(await call('clipboardCopies')).toEqual([text]));
    await call('clipboardUnlisten');
  });

  it('the clipboard feature on this backend: a copy while sharing is off is not even read; after the allow it is read and sent', async () => {
    await call('clipboardFeatureStart');
    const copyInNotepad = async (text: string) => {
      await call('clearNotepad');
      await expect.poll(() => call('notepadText')).toBe('');
      await call('events', type(text));
      await expect.poll(() => call('notepadText')).toBe(text);
      await call('events', [...ctrl('KeyA', 'a'), ...ctrl('KeyC', 'c')]);
      await expect.poll(() => call('clipboardRead')).toBe(text);
    };
    await copyInNotepad('privat');
    await expectNothingFor(600, 'a copy while sharing is off is neither read nor sent', async () => expect(await call('clipboardFeatureSeen')).toEqual({ reads: 0, sent: [] }));
    expect(await call('clipboardGrant', true)).toBe(true);
    await copyInNotepad('geteilt');
    await expect.poll(() => call('clipboardFeatureSeen')).toEqual({ reads: 1, sent: ['geteilt'] });
    expect(await call('clipboardGrant', false)).toBe(true);
    await copyInNotepad('wieder privat');
    await expectNothingFor(600, 'after the revoke copies are not read', async () => expect(await call('clipboardFeatureSeen')).toEqual({ reads: 1, sent: ['geteilt'] }));
  });

  it('a file lands in the Downloads folder with the right SHA-256, a hostile name made safe', async () => {
    const bytes = randomBytes(300_000);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const r = await call<{ folder: string; final: string }>('download', 'Bericht 2026.pdf', bytes.toString('base64'));
    expect(r.folder.toLowerCase()).toMatch(/^c:\\users\\[^\\]+\\downloads$/);
    expect(await call('knownDownloads'), 'SHGetKnownFolderPath(FOLDERID_Downloads) names it, not only %USERPROFILE%').toBe(r.folder);
    expect(r.final).toBe('Bericht 2026.pdf');
    expect(createHash('sha256').update(readFileSync(path.join(d.downloads, r.final))).digest('hex')).toBe(sha);
    const odd = await call<{ final: string }>('download', 'CON.txt', Buffer.from('x').toString('base64'));
    expect(odd.final).toBe('_CON.txt');
    const worse = await call<{ final: string }>('download', '..\\a<b>:c?.txt. ', Buffer.from('y').toString('base64'));
    expect(worse.final).toBe('a_b__c_.txt');
    const again = await call<{ final: string }>('download', 'bericht 2026.PDF', Buffer.from('z').toString('base64'));
    expect(again.final, 'an existing name (ignoring case) is never replaced').toBe('bericht 2026 (2).PDF');
    expect(readdirSync(d.downloads).sort()).toEqual(['Bericht 2026.pdf', '_CON.txt', 'a_b__c_.txt', 'bericht 2026 (2).PDF']);
  });

  it('a broken transfer leaves no partial file behind', async () => {
    const before = readdirSync(d.downloads).sort();
    const r = await call<{ during: string[] }>('download', 'kaputt.bin', randomBytes(100_000).toString('base64'), 50_000);
    expect(r.during.filter((n) => n.endsWith('.fernhilfe-part')), 'the temporary file existed while writing').toHaveLength(1);
    expect(readdirSync(d.downloads).sort()).toEqual(before);
  });
});
