import { renameSync, writeFileSync } from 'node:fs';
import { openWindowsClipboard } from '../../../packages/agent/src/platform/windows/clipboard.js';
import { loadKoffi } from '../../../packages/agent/src/platform/windows/koffi.js';
import { findNotepad } from './notepad.js';

/**
 * Entry for a one-shot Windows process (bundled by desktop-probe-host.ts): answers one question about
 * wine's desktop as a Windows program sees it and writes the answer as JSON to the file argv[2]
 * (stdout is no pipe under wine). argv[3] is the question as JSON:
 * - `{ "ask": "notepad" }`: Notepad's window and Edit control in screen pixels (GetWindowRect), and
 *   what GDI shows (GetPixel of the screen DC) at the middle of the Edit control, in the middle of
 *   the title bar and just outside the window
 * - `{ "ask": "clipboard-read" }` / `{ "ask": "clipboard-write", "text": … }`: the Windows clipboard's text
 */
type Rect = { left: number; top: number; right: number; bottom: number };
type Question = { ask: 'notepad' } | { ask: 'clipboard-read' } | { ask: 'clipboard-write'; text: string };

function notepad() {
  const koffi = loadKoffi(process.env);
  const user32 = koffi.load('user32.dll');
  const gdi32 = koffi.load('gdi32.dll');
  const RECT = koffi.struct('FERNHILFE_PROBE_RECT', { left: 'int32', top: 'int32', right: 'int32', bottom: 'int32' });
  const GetWindowRect = user32.func('bool __stdcall GetWindowRect(void *, _Out_ FERNHILFE_PROBE_RECT *)');
  const GetSystemMetrics = user32.func('int __stdcall GetSystemMetrics(int)');
  const GetDC = user32.func('void * __stdcall GetDC(void *)');
  const ReleaseDC = user32.func('int __stdcall ReleaseDC(void *, void *)');
  const GetPixel = gdi32.func('uint32 __stdcall GetPixel(void *, int, int)');
  void RECT;
  const n = findNotepad();
  if (!n) return { found: false };
  const rect = (h: unknown): Rect => {
    const r = {} as Rect;
    GetWindowRect(h, r);
    return r;
  };
  const window = rect(n.window);
  const edit = rect(n.edit);
  const screen = { width: Number(GetSystemMetrics(0)), height: Number(GetSystemMetrics(1)) }; // SM_CXSCREEN, SM_CYSCREEN
  const on = (p: { x: number; y: number }) => p.x >= 0 && p.y >= 0 && p.x < screen.width && p.y < screen.height;
  // the parts of the window on the screen (wine may place it partly off the virtual desktop)
  const visible = (r: Rect): Rect => ({ left: Math.max(0, r.left), top: Math.max(0, r.top), right: Math.min(screen.width, r.right), bottom: Math.min(screen.height, r.bottom) });
  const e = visible(edit);
  const w = visible(window);
  const middleY = Math.round((w.top + w.bottom) / 2);
  const points = {
    edit: { x: Math.round((e.left + e.right) / 2), y: Math.round((e.top + e.bottom) / 2) },
    // the caption: the strip between the window's top and the menu bar above the Edit control
    title: { x: Math.round((w.left + w.right) / 2), y: Math.round(window.top + (edit.top - window.top) / 4) },
    // the desktop beside the window: right of it, else left of it, else below it
    outside: [
      { x: window.right + 20, y: middleY },
      { x: window.left - 20, y: middleY },
      { x: Math.round((w.left + w.right) / 2), y: window.bottom + 20 },
    ].find(on),
  };
  const dc = GetDC(null);
  const colour = (p: { x: number; y: number }) => {
    const c = Number(GetPixel(dc, p.x, p.y)); // 0x00BBGGRR
    return { ...p, rgb: [c & 0xff, (c >> 8) & 0xff, (c >> 16) & 0xff] };
  };
  const answer = { found: true, screen, window, edit, pixels: { edit: colour(points.edit), title: colour(points.title), ...(points.outside ? { outside: colour(points.outside) } : {}) } };
  ReleaseDC(null, dc);
  return answer;
}

async function answer(q: Question): Promise<unknown> {
  if (q.ask === 'notepad') return notepad();
  const clipboard = await openWindowsClipboard(process.env);
  try {
    if (q.ask === 'clipboard-read') return { text: (await clipboard.read()) ?? null };
    await clipboard.write(q.text);
    return { written: true };
  } finally {
    await clipboard.close();
  }
}

/** the answer file appears whole (written beside it, then renamed) */
const reply = (a: unknown) => {
  writeFileSync(`${process.argv[2]!}.part`, JSON.stringify(a));
  renameSync(`${process.argv[2]!}.part`, process.argv[2]!);
};
void answer(JSON.parse(process.argv[3]!) as Question).then(reply, (err: unknown) => reply({ error: String(err) }));
