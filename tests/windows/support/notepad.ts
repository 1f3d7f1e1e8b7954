import { loadKoffi } from '../../../packages/agent/src/platform/windows/koffi.js';

/**
 * Notepad as a test sees it, from inside a Windows process (bundle this into a driver; the e2e test
 * can run notepad-read.ts): its main window (class "Notepad") and the Edit control inside, whose
 * text WM_GETTEXT reads back exactly as typed. Koffi from FERNHILFE_KOFFI_NATIVE.
 */
const WM_SETTEXT = 0x000c;
const WM_GETTEXT = 0x000d;
const WM_GETTEXTLENGTH = 0x000e;

type Fn = (...args: unknown[]) => never;
let fns: Record<'FindWindowW' | 'FindWindowExW' | 'SendMessageW' | 'SendTextW' | 'SetForegroundWindow' | 'GetForegroundWindow', Fn> | undefined;
const address = (p: unknown): bigint => (p ? loadKoffi(process.env).address(p) : 0n);

function user32(): NonNullable<typeof fns> {
  if (fns) return fns;
  const koffi = loadKoffi(process.env);
  const lib = koffi.load('user32.dll');
  const f = (d: string) => lib.func(d) as unknown as Fn;
  fns = {
    FindWindowW: f('void * __stdcall FindWindowW(str16, str16)'),
    FindWindowExW: f('void * __stdcall FindWindowExW(void *, void *, str16, str16)'),
    SendMessageW: f('intptr __stdcall SendMessageW(void *, uint32, uintptr, _Inout_ uint16 *)'),
    SendTextW: f('intptr __stdcall SendMessageW(void *, uint32, uintptr, str16)'),
    SetForegroundWindow: f('bool __stdcall SetForegroundWindow(void *)'),
    GetForegroundWindow: f('void * __stdcall GetForegroundWindow()'),
  };
  return fns;
}

/** Notepad's main window and its Edit control, or undefined while Notepad has not opened its window. */
export function findNotepad(): { window: unknown; edit: unknown } | undefined {
  const u = user32();
  const window = u.FindWindowW('Notepad', null);
  if (!window) return undefined;
  const edit = u.FindWindowExW(window, null, 'Edit', null);
  return edit ? { window, edit } : undefined;
}

function edit(): unknown {
  const n = findNotepad();
  if (!n) throw new Error('Notepad has no window');
  return n.edit;
}

/** The text in Notepad's Edit control (WM_GETTEXTLENGTH, WM_GETTEXT). */
export function notepadText(): string {
  const u = user32();
  const e = edit();
  const length = Number(u.SendMessageW(e, WM_GETTEXTLENGTH, 0, null));
  const buf = new Uint16Array(length + 1);
  const got = Number(u.SendMessageW(e, WM_GETTEXT, length + 1, buf));
  return String.fromCharCode(...buf.subarray(0, got));
}

/** Empties Notepad's text (WM_SETTEXT). */
export function clearNotepad(): void {
  user32().SendTextW(edit(), WM_SETTEXT, 0, '');
}

/** Brings Notepad to the front (keys go to the foreground window); true when it is there. */
export function focusNotepad(): boolean {
  const u = user32();
  const n = findNotepad();
  if (!n) return false;
  u.SetForegroundWindow(n.window);
  return address(u.GetForegroundWindow()) === address(n.window);
}
