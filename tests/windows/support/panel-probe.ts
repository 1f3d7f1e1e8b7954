import { renameSync, writeFileSync } from 'node:fs';
import { loadKoffi } from '../../../packages/agent/src/platform/windows/koffi.js';
import { PANEL_CLASS } from '../../../packages/agent/src/platform/windows/panel-api.js';
import { findNotepad } from './notepad.js';

/**
 * Entry for a one-shot Windows process (bundled by panel-probe-host.ts): answers one question about
 * the session panel's window as another Windows program sees it, as JSON into the file argv[2];
 * argv[3] is the question:
 * - `{ "ask": "panel" }`: the window of class FernhilfeSessionPanel: visible, its rectangle
 *   (GetWindowRect), style and extended style (GetWindowLongW), title (GetWindowTextW)
 * - `{ "ask": "cursor" }`: where Windows has the pointer (GetCursorPos)
 * - `{ "ask": "notepad-front" }`: maximises Notepad and makes it the foreground window, raised to the
 *   top (what a customer clicking it does); answers its rectangle and whether it is in front
 */
type Rect = { left: number; top: number; right: number; bottom: number };
const GWL_STYLE = -16;
const GWL_EXSTYLE = -20;
const SW_MAXIMIZE = 3;

const koffi = loadKoffi(process.env);
const user32 = koffi.load('user32.dll');
const f = (d: string) => user32.func(d) as unknown as (...args: unknown[]) => never;
const FindWindowW = f('void * __stdcall FindWindowW(str16, str16)');
const IsWindowVisible = f('bool __stdcall IsWindowVisible(void *)');
const GetWindowRect = f('bool __stdcall GetWindowRect(void *, void *)');
const GetWindowLongW = f('int32 __stdcall GetWindowLongW(void *, int)');
const GetWindowTextW = f('int __stdcall GetWindowTextW(void *, _Out_ uint16 *, int)');
const ShowWindow = f('bool __stdcall ShowWindow(void *, int)');
const SetForegroundWindow = f('bool __stdcall SetForegroundWindow(void *)');
const BringWindowToTop = f('bool __stdcall BringWindowToTop(void *)');
const GetForegroundWindow = f('void * __stdcall GetForegroundWindow()');
const GetCursorPos = f('bool __stdcall GetCursorPos(void *)');
const GetGUIThreadInfo = f('bool __stdcall GetGUIThreadInfo(uint32, void *)');
const GetClassNameW = f('int __stdcall GetClassNameW(uintptr, _Out_ uint16 *, int)');

const rect = (h: unknown): Rect => {
  const b = Buffer.alloc(16);
  GetWindowRect(h, b);
  return { left: b.readInt32LE(0), top: b.readInt32LE(4), right: b.readInt32LE(8), bottom: b.readInt32LE(12) };
};

function panel() {
  const h = FindWindowW(PANEL_CLASS, null);
  if (!h) return { found: false };
  const title = new Uint16Array(256);
  const n = Number(GetWindowTextW(h, title, 256));
  return {
    found: true,
    visible: Boolean(IsWindowVisible(h)),
    rect: rect(h),
    style: Number(GetWindowLongW(h, GWL_STYLE)) >>> 0,
    exStyle: Number(GetWindowLongW(h, GWL_EXSTYLE)) >>> 0,
    title: String.fromCharCode(...title.subarray(0, n)),
  };
}

function notepadFront() {
  const n = findNotepad();
  if (!n) return { found: false };
  ShowWindow(n.window, SW_MAXIMIZE);
  SetForegroundWindow(n.window);
  BringWindowToTop(n.window);
  return { found: true, rect: rect(n.window), front: koffi.address(GetForegroundWindow()) === koffi.address(n.window) };
}

function cursor() {
  const b = Buffer.alloc(8);
  GetCursorPos(b);
  // which window of the foreground thread holds the mouse capture (wine sends every click there)
  const info = Buffer.alloc(72);
  info.writeUInt32LE(72, 0);
  GetGUIThreadInfo(0, info);
  const capture = info.readBigUInt64LE(24);
  const name = new Uint16Array(64);
  const n = capture ? Number(GetClassNameW(capture, name, 64)) : 0;
  return { x: b.readInt32LE(0), y: b.readInt32LE(4), capture: String.fromCharCode(...name.subarray(0, n)) };
}

const q = JSON.parse(process.argv[3]!) as { ask: 'panel' | 'notepad-front' | 'cursor' };
let answer: unknown;
try {
  answer = q.ask === 'panel' ? panel() : q.ask === 'cursor' ? cursor() : notepadFront();
} catch (err) {
  answer = { error: String(err) };
}
writeFileSync(`${process.argv[2]!}.part`, JSON.stringify(answer));
renameSync(`${process.argv[2]!}.part`, process.argv[2]!);
