import type { PlatformEnv } from '../types.js';
import { loadKoffi, type KoffiApi } from './koffi.js';

/** A Windows handle or pointer as koffi gives it (an opaque external; null for NULL). */
export type Handle = unknown;

/** One SendInput record: `type` 0 = mouse (`mi`), 1 = keyboard (`ki`). */
export type InputRecord =
  | { type: 0; u: { mi: { dx: number; dy: number; mouseData: number; dwFlags: number; time: number; dwExtraInfo: number } } }
  | { type: 1; u: { ki: { wVk: number; wScan: number; dwFlags: number; time: number; dwExtraInfo: number } } };

/**
 * The user32 / kernel32 functions the input and clipboard backends call, declared once
 * per process through koffi with typed wrappers (koffi's own functions take and return `any`).
 */
export interface Win32 {
  readonly koffi: KoffiApi;
  SendInput(inputs: InputRecord[]): number;
  GetSystemMetrics(index: number): number;
  GetForegroundWindow(): Handle;
  /** the thread id; `pid[0]` receives the process id */
  GetWindowThreadProcessId(hwnd: Handle, pid: number[]): number;
  GetKeyboardLayout(thread: number): Handle;
  VkKeyScanExW(ch: number, hkl: Handle): number;
  MapVirtualKeyExW(code: number, mapType: number, hkl: Handle): number;
  GetAsyncKeyState(vk: number): number;
  GetLastInputInfo(info: { cbSize: number; dwTime: number }): boolean;
  GetCursorPos(point: { x: number; y: number }): boolean;
  GetTickCount(): number;
  OpenClipboard(hwnd: Handle): boolean;
  CloseClipboard(): boolean;
  EmptyClipboard(): boolean;
  IsClipboardFormatAvailable(format: number): boolean;
  GetClipboardData(format: number): Handle;
  SetClipboardData(format: number, mem: Handle): Handle;
  GetClipboardSequenceNumber(): number;
  CreateWindowExW(exStyle: number, cls: string, name: string, style: number, x: number, y: number, w: number, h: number, parent: Handle, menu: Handle, inst: Handle, param: Handle): Handle;
  DestroyWindow(hwnd: Handle): boolean;
  GlobalAlloc(flags: number, bytes: number): Handle;
  GlobalLock(mem: Handle): Handle;
  GlobalUnlock(mem: Handle): boolean;
  GlobalSize(mem: Handle): number;
  GlobalFree(mem: Handle): Handle;
}

let api: Win32 | undefined;
const DPI_AWARENESS_CONTEXT_PER_MONITOR_AWARE_V2 = -4;

/** The functions, declared on first use (koffi from FERNHILFE_KOFFI_NATIVE in `env`). */
export function win32(env: PlatformEnv): Win32 {
  if (api) return api;
  const koffi = loadKoffi(env);
  const user32 = koffi.load('user32.dll');
  const kernel32 = koffi.load('kernel32.dll');
  const MOUSEINPUT = koffi.struct('FH_MOUSEINPUT', { dx: 'int32', dy: 'int32', mouseData: 'int32', dwFlags: 'uint32', time: 'uint32', dwExtraInfo: 'uintptr' });
  const KEYBDINPUT = koffi.struct('FH_KEYBDINPUT', { wVk: 'uint16', wScan: 'uint16', dwFlags: 'uint32', time: 'uint32', dwExtraInfo: 'uintptr' });
  const INPUT = koffi.struct('FH_INPUT', { type: 'uint32', u: koffi.union('FH_INPUT_U', { mi: MOUSEINPUT, ki: KEYBDINPUT, pad: koffi.array('uint8', 32) }) });
  koffi.struct('FH_LASTINPUTINFO', { cbSize: 'uint32', dwTime: 'uint32' });
  koffi.struct('FH_POINT', { x: 'int32', y: 'int32' });
  const sizeofInput = koffi.sizeof(INPUT);
  // real pixels on scaled monitors, as the capture sees them (a DPI-unaware process gets scaled-down
  // metrics); per process: whichever backend comes first sets it, a second call changes nothing
  try {
    user32.func('int __stdcall SetProcessDpiAwarenessContext(intptr)')(DPI_AWARENESS_CONTEXT_PER_MONITOR_AWARE_V2);
  } catch {
    // before Windows 10 1703: no such function, the process stays as it is
  }
  const sendInput = user32.func('uint32 __stdcall SendInput(uint32, FH_INPUT *, int)');
  const f = (lib: ReturnType<KoffiApi['load']>, decl: string) => lib.func(decl) as unknown as (...args: unknown[]) => never;
  api = {
    koffi,
    SendInput: (inputs) => (inputs.length === 0 ? 0 : (sendInput(inputs.length, inputs, sizeofInput) as number)),
    GetSystemMetrics: f(user32, 'int __stdcall GetSystemMetrics(int)'),
    GetForegroundWindow: f(user32, 'void * __stdcall GetForegroundWindow()'),
    GetWindowThreadProcessId: f(user32, 'uint32 __stdcall GetWindowThreadProcessId(void *, _Out_ uint32 *)'),
    GetKeyboardLayout: f(user32, 'void * __stdcall GetKeyboardLayout(uint32)'),
    VkKeyScanExW: f(user32, 'int16 __stdcall VkKeyScanExW(uint16, void *)'),
    MapVirtualKeyExW: f(user32, 'uint32 __stdcall MapVirtualKeyExW(uint32, uint32, void *)'),
    GetAsyncKeyState: f(user32, 'int16 __stdcall GetAsyncKeyState(int)'),
    GetLastInputInfo: f(user32, 'bool __stdcall GetLastInputInfo(_Inout_ FH_LASTINPUTINFO *)'),
    GetCursorPos: f(user32, 'bool __stdcall GetCursorPos(_Out_ FH_POINT *)'),
    GetTickCount: f(kernel32, 'uint32 __stdcall GetTickCount()'),
    OpenClipboard: f(user32, 'bool __stdcall OpenClipboard(void *)'),
    CloseClipboard: f(user32, 'bool __stdcall CloseClipboard()'),
    EmptyClipboard: f(user32, 'bool __stdcall EmptyClipboard()'),
    IsClipboardFormatAvailable: f(user32, 'bool __stdcall IsClipboardFormatAvailable(uint32)'),
    GetClipboardData: f(user32, 'void * __stdcall GetClipboardData(uint32)'),
    SetClipboardData: f(user32, 'void * __stdcall SetClipboardData(uint32, void *)'),
    GetClipboardSequenceNumber: f(user32, 'uint32 __stdcall GetClipboardSequenceNumber()'),
    CreateWindowExW: f(user32, 'void * __stdcall CreateWindowExW(uint32, str16, str16, uint32, int, int, int, int, void *, void *, void *, void *)'),
    DestroyWindow: f(user32, 'bool __stdcall DestroyWindow(void *)'),
    GlobalAlloc: f(kernel32, 'void * __stdcall GlobalAlloc(uint32, uintptr)'),
    GlobalLock: f(kernel32, 'void * __stdcall GlobalLock(void *)'),
    GlobalUnlock: f(kernel32, 'bool __stdcall GlobalUnlock(void *)'),
    GlobalSize: f(kernel32, 'uintptr __stdcall GlobalSize(void *)'),
    GlobalFree: f(kernel32, 'void * __stdcall GlobalFree(void *)'),
  };
  return api;
}
