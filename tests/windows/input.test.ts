import type { InputEvent } from '@fernhilfe/protocol';
import { execProgram } from '@fernhilfe/programs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enter, keystrokes } from '../agent/support/input-keys.js';
import { expectNothingFor, holdStill } from '../support/quiet.js';
import { startInputDesktop, type InputDesktop } from './support/input-desktop.js';
import { readNotepadText } from './support/notepad-host.js';

/**
 * The agent's Windows input (platform/windows/input.ts) in a Windows process under wine, typing into
 * Notepad with the X keyboard set to German: what Notepad holds is read back with WM_GETTEXT, the
 * pointer from the X server, the keys held from GetAsyncKeyState. Wine 8 itself types with its US
 * tables whatever the X layout (first test), so here the technician's AltGr is lifted and `@` goes
 * as Shift+2, `ü` `ß` `€` as Unicode; the German customer layout is platform/windows/keyboard.test.ts.
 */
const TEXT = 'Grüße @€{}[]|\\~ 123';
const key = (code: string, k: string, down: boolean): InputEvent => ({ type: 'key', code, key: k, down });
const tap = (code: string, k: string): InputEvent[] => [key(code, k, true), key(code, k, false)];

describe('Windows input: SendInput into Notepad under wine', () => {
  let d: InputDesktop;
  const call = <T = unknown>(method: string, ...args: unknown[]) => d.driver.call<T>(method, ...args);
  const typeInto = async (events: InputEvent[]) => {
    await call('clearNotepad');
    await expect.poll(() => call('notepadText')).toBe('');
    await call('events', events);
  };
  const pointer = async () => {
    const { stdout: out } = await execProgram('xdotool', ['getmouselocation', '--shell'], { env: { ...process.env, DISPLAY: d.wine.display } });
    const v = (n: string) => Number(out.match(new RegExp(`^${n}=(-?\\d+)`, 'm'))?.[1]);
    return { x: v('X'), y: v('Y') };
  };

  beforeAll(async () => {
    d = await startInputDesktop('de');
  }, 180_000);
  afterAll(async () => {
    await d?.stop();
  });

  it("characters are looked up on the layout wine reports (wine 8: US tables whatever the X keyboard)", async () => {
    // wine 8 answers GetKeyboardLayout with 04090409 and VkKeyScanExW from its US tables, also with
    // setxkbmap de and after LoadKeyboardLayoutW("00000407"): the German AltGr strokes are covered by
    // platform/windows/keyboard.test.ts; here the lookup itself and the Unicode fallback
    expect(await call('layout')).toBe('4090409');
    expect(await call('stroke', '@'), '@ is Shift+2').toEqual({ key: { scan: 0x03, extended: false }, shift: true, altgr: false });
    expect(await call('stroke', 'z')).toEqual({ key: { scan: 0x2c, extended: false }, shift: false, altgr: false });
    expect(await call('stroke', '/')).toEqual({ key: { scan: 0x35, extended: false }, shift: false, altgr: false });
    expect(await call('stroke', 'ü'), 'no key types it: Unicode').toBeNull();
    expect(await call('stroke', '€')).toBeNull();
  });

  it("a German technician's keys arrive exactly: AltGr characters, umlauts, Shift", async () => {
    await typeInto(keystrokes(TEXT, 'de'));
    await expect.poll(() => call('notepadText')).toBe(TEXT);
  });

  it("a US technician's keys arrive exactly (read back also by a one-shot process, as the e2e test does)", async () => {
    await typeInto(keystrokes('yz @{}[]|\\~ 123', 'us'));
    await expect.poll(() => call('notepadText')).toBe('yz @{}[]|\\~ 123');
    expect(await readNotepadText(d.wine, d.dir)).toBe('yz @{}[]|\\~ 123');
  });

  it('a character no key types goes as Unicode; Backspace and Enter go by scan code', async () => {
    await typeInto([...tap('KeyA', '日'), ...tap('KeyB', '本'), ...tap('KeyL', 'ł'), ...tap('KeyX', 'x'), ...tap('Backspace', 'Backspace'), ...enter, ...tap('KeyA', 'a')]);
    await expect.poll(() => call('notepadText')).toBe('日本ł\r\na');
  });

  it('a held Shift of the technician does not leak into a character that does not want it', async () => {
    await typeInto([key('ShiftLeft', 'Shift', true), ...tap('KeyA', 'A'), ...tap('Digit7', '/'), key('ShiftLeft', 'Shift', false), ...tap('Digit7', '7')]);
    await expect.poll(() => call('notepadText')).toBe('A/7');
  });

  it('a revoke while keys are queued: nothing queued before it is typed after it', async () => {
    await call('clearNotepad');
    const total = 400;
    await call('queueEvents', keystrokes('x'.repeat(total), 'de'));
    const r = await call<{ waiting: number; typed: number; typedAfter: number }>('revoke');
    expect(r.waiting, 'keys were still queued when the revoke came').toBeGreaterThan(0);
    expect(r.typed).toBeLessThan(total);
    expect(r.typedAfter).toBe(0);
    await expect.poll(() => call<string>('notepadText').then((t) => t.length)).toBe(r.typed);
    await expectNothingFor(600, 'no key typed after the revoke reaches Notepad', async () => expect((await call<string>('notepadText')).length).toBe(r.typed));
  });

  it('the pointer goes where the technician points (the X pointer of the wine desktop), the wheel turns both ways', async () => {
    await call('events', [{ type: 'pointer-move', x: 300, y: 200 }]);
    await expect.poll(pointer).toEqual({ x: 300, y: 200 });
    await call('events', [{ type: 'pointer-move', x: 1023, y: 639 }]);
    await expect.poll(pointer).toEqual({ x: 1023, y: 639 });
    await call('events', [{ type: 'wheel', dx: 0, dy: 3, x: 500, y: 300 }, { type: 'wheel', dx: -2, dy: 0, x: 500, y: 300 }]);
    await call('events', [{ type: 'pointer-move', x: 500, y: 300 }]);
    await expect.poll(pointer).toEqual({ x: 500, y: 300 });
  });

  it('a burst of 190 characters arrives complete and in order (Notepad may take a while to catch up)', async () => {
    await call('clearNotepad');
    await expect.poll(() => call('notepadText')).toBe('');
    const text = 'Grüße @€{}[]|\\~ 123'.repeat(10);
    const t0 = Date.now();
    const took = await call<number[]>('timeKeys', keystrokes(text, 'de'));
    const t1 = Date.now();
    await expect.poll(() => call('notepadText'), { timeout: 60_000, interval: 100 }).toBe(text);
    if (process.env.FERNHILFE_MEASURE) {
      const s = [...took].sort((a, b) => a - b);
      const at = (q: number) => s[Math.min(s.length - 1, Math.floor(s.length * q))]!.toFixed(2);
      console.log(`key-down in the driver, ms: n ${s.length} median ${at(0.5)} p10 ${at(0.1)} p90 ${at(0.9)}; all injected in ${t1 - t0} ms, in Notepad after ${Date.now() - t0} ms`);
    }
  });

  it('local input wins: our own moves do not count, the customer moving the mouse does', async () => {
    await call('events', [{ type: 'pointer-move', x: 400, y: 250 }]);
    await expect.poll(pointer).toEqual({ x: 400, y: 250 });
    await call('localInputSince');
    expect(await call('localInputSince')).toBe(false);
    await execProgram('xdotool', ['mousemove', '123', '321'], { env: { ...process.env, DISPLAY: d.wine.display } });
    await expect.poll(() => call('localInputSince')).toBe(true);
    expect(await call('localInputSince'), 'reported once').toBe(false);
  });

  it('local input wins: the customer pressing a key counts (GetLastInputInfo later than our last injection)', async () => {
    await call('events', [{ type: 'pointer-move', x: 410, y: 260 }]);
    await call('localInputSince');
    await holdStill(250, 'input within 100 ms of our own injection is taken for ours (OWN_INPUT_SLACK_MS)');
    expect(await call('localInputSince')).toBe(false);
    await execProgram('xdotool', ['key', 'shift'], { env: { ...process.env, DISPLAY: d.wine.display } });
    await expect.poll(() => call('localInputSince')).toBe(true);
  });

  it('releaseAll leaves no key and no button down', async () => {
    // wine answers GetAsyncKeyState from a cache it refreshes when the process injects a key: F24 (types nothing) after each step
    const refresh = tap('F24', 'F24');
    await call('events', [
      refresh,
      key('ShiftLeft', 'Shift', true),
      key('ControlRight', 'Control', true),
      key('AltLeft', 'Alt', true),
      key('ArrowLeft', 'ArrowLeft', true),
      { type: 'pointer-button', button: 0, down: true, x: 600, y: 400 },
      ...refresh,
    ]);
    const VK = { LBUTTON: 0x01, SHIFT: 0x10, CONTROL: 0x11, MENU: 0x12, LEFT: 0x25, LSHIFT: 0xa0, RCONTROL: 0xa3, LMENU: 0xa4 };
    expect(await call<number[]>('keysDown')).toEqual(Object.values(VK));
    await call('releaseAll');
    await call('events', refresh);
    expect(await call<number[]>('keysDown')).toEqual([]);
    // and what the customer sees: the next key types a plain letter, no Shift, no Ctrl shortcut
    await typeInto(tap('KeyX', 'x'));
    await expect.poll(() => call('notepadText')).toBe('x');
  });
});
