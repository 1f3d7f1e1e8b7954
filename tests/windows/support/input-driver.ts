import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { InputEvent } from '@fernhilfe/protocol';
import { InputQueue } from '../../../packages/agent/src/input/queue.js';
import type { ClipboardBackend, InputInjector } from '../../../packages/agent/src/platform/types.js';
import { windows } from '../../../packages/agent/src/platform/windows/index.js';
import { windowsDownloadsFolder } from '../../../packages/agent/src/platform/windows/downloads.js';
import { win32 } from '../../../packages/agent/src/platform/windows/win32.js';
import { foregroundLayout, windowsLayout } from '../../../packages/agent/src/platform/windows/layout.js';
import { clearNotepad, focusNotepad, notepadText } from './notepad.js';
import { serveRpc } from './rpc-peer.js';
import { clipboardHandlers } from './input-clipboard-driver.js';

/**
 * The Windows side of tests/windows/input.test.ts: the agent's Windows platform (input, clipboard,
 * Downloads) in a Windows process under wine, driven by the test over rpc.ts.
 */
const env = process.env;
let injector: InputInjector | undefined;
let clipboard: ClipboardBackend | undefined;
const queue = new InputQueue(10_000, () => undefined);
let typedByQueue = 0;

const inj = (): InputInjector => {
  if (!injector) throw new Error('open first');
  return injector;
};

async function inject(e: InputEvent, signal?: AbortSignal): Promise<void> {
  const i = inj();
  if (e.type === 'key') await i.key(e.code, e.key, e.down, signal);
  else if (e.type === 'pointer-move') await i.move(e.x, e.y);
  else if (e.type === 'pointer-button') await i.button(e.button, e.down);
  else if (e.type === 'wheel') await i.wheel(e.dx, e.dy);
  else if (e.type === 'release-all') await i.releaseAll();
}

serveRpc({
  open: async () => {
    injector = await windows.openInjector(env);
    clipboard = await windows.openClipboard(env);
    return { screen: injector.screen, downloads: windows.downloadsFolder?.(env) };
  },
  layout: () => {
    const w = win32(env);
    const hwnd = w.GetForegroundWindow();
    const thread = hwnd ? w.GetWindowThreadProcessId(hwnd, [0]) : 0;
    return (BigInt(w.koffi.address(w.GetKeyboardLayout(thread))) & 0xffffffffn).toString(16);
  },
  /** where the customer's layout has `ch` (undefined: no key types it) */
  stroke: (ch: string) => {
    const w = win32(env);
    return windowsLayout(w, foregroundLayout(w)).stroke(ch);
  },
  focusNotepad: () => focusNotepad(),
  notepadText: () => notepadText(),
  clearNotepad: () => clearNotepad(),
  events: async (events: InputEvent[]) => {
    for (const e of events) await inject(e);
  },
  /** the events injected one after the other; how long each key-down took (ms), for the docs' figures */
  timeKeys: async (events: InputEvent[]) => {
    const took: number[] = [];
    for (const e of events) {
      const t = performance.now();
      await inject(e);
      if (e.type === 'key' && e.down) took.push(performance.now() - t);
    }
    return took;
  },
  /** queues `events` as the input feature does and answers at once; `revoke` cancels the queue */
  queueEvents: (events: InputEvent[]) => {
    for (const e of events)
      queue.push(async (signal) => {
        await inject(e, signal);
        if (e.type === 'key' && e.down && !signal.aborted) typedByQueue++;
      });
    return queue.size;
  },
  revoke: async () => {
    const waiting = queue.size;
    queue.cancel();
    const typed = typedByQueue;
    await queue.idle();
    return { waiting, typed, typedAfter: typedByQueue - typed };
  },
  releaseAll: () => inj().releaseAll(),
  localInputSince: () => inj().localInputSince(),
  /** virtual keys Windows reports down (GetAsyncKeyState), mouse buttons 1..6 included */
  keysDown: () => {
    const w = win32(env);
    const down: number[] = [];
    for (let vk = 1; vk < 255; vk++) if (w.GetAsyncKeyState(vk) & 0x8000) down.push(vk);
    return down;
  },
  cursor: () => {
    const p = { x: 0, y: 0 };
    win32(env).GetCursorPos(p);
    return p;
  },
  /** the known folder alone (no USERPROFILE to fall back on) */
  knownDownloads: () => windowsDownloadsFolder({ FERNHILFE_KOFFI_NATIVE: env.FERNHILFE_KOFFI_NATIVE }),
  ...clipboardHandlers(() => {
    if (!clipboard) throw new Error('open first');
    return clipboard;
  }),
  sha256: (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex'),
  close: async () => {
    await injector?.close();
    await clipboard?.close();
  },
});
