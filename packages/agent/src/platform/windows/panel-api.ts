import { FernhilfeError } from '@fernhilfe/protocol';
import type { PlatformEnv } from '../types.js';
import { loadKoffi, type KoffiApi } from './koffi.js';
import { windowClassApi, type Fn, type WindowClassApi } from './window-types.js';

/** The session panel's window class: tests and accessibility tools find the window by it. */
export const PANEL_CLASS = 'FernhilfeSessionPanel';


/** The user32/gdi32 calls of the session panel's window, bound once per process through koffi. */
export interface PanelApi extends WindowClassApi {
  koffi: KoffiApi;
  SetWindowPos: Fn;
  GetWindowRect: Fn;
  InvalidateRect: Fn;
  BeginPaint: Fn;
  EndPaint: Fn;
  StretchDIBits: Fn;
  SetCapture: Fn;
  ReleaseCapture: Fn;
  GetCursorPos: Fn;
  GetKeyState: Fn;
  SystemParametersInfoW: Fn;
  LoadCursorW: Fn;
  /** Windows 10 1607+ (and wine): the window's DPI; undefined before */
  GetDpiForWindow: Fn | undefined;
  GetDC: Fn;
  ReleaseDC: Fn;
  GetDeviceCaps: Fn;
  SetProcessDpiAwarenessContext: Fn | undefined;
}

/** The panel's window could not be made (the reason names the call). */
export class WindowsPanelError extends FernhilfeError<'create-failed'> {
  override readonly name = 'WindowsPanelError';
}

let api: PanelApi | undefined;

export function panelApi(env: PlatformEnv): PanelApi {
  if (api) return api;
  const k = loadKoffi(env);
  const { f, common, user32: u } = windowClassApi(k, 'FernhilfePanelProc');
  const g = k.load('gdi32.dll');
  const optional = (lib: ReturnType<KoffiApi['load']>, name: string, result: string, args: unknown[]) => {
    try {
      return f(lib, name, result, args);
    } catch {
      return undefined;
    }
  };
  api = {
    ...common,
    koffi: k,
    CreateWindowExW: f(u, 'CreateWindowExW', 'void *', ['uint32', 'str16', 'str16', 'uint32', 'int', 'int', 'int', 'int', 'void *', 'void *', 'void *', 'void *']),
    SetWindowPos: f(u, 'SetWindowPos', 'bool', ['void *', 'intptr', 'int', 'int', 'int', 'int', 'uint32']),
    // RECT, POINT and PAINTSTRUCT as plain bytes (Buffers): no named koffi types to clash with the other backends'
    GetWindowRect: f(u, 'GetWindowRect', 'bool', ['void *', 'void *']),
    InvalidateRect: f(u, 'InvalidateRect', 'bool', ['void *', 'void *', 'bool']),
    BeginPaint: f(u, 'BeginPaint', 'void *', ['void *', 'void *']),
    EndPaint: f(u, 'EndPaint', 'bool', ['void *', 'void *']),
    StretchDIBits: f(g, 'StretchDIBits', 'int', ['void *', 'int', 'int', 'int', 'int', 'int', 'int', 'int', 'int', 'void *', 'void *', 'uint32', 'uint32']),
    SetCapture: f(u, 'SetCapture', 'void *', ['void *']),
    ReleaseCapture: f(u, 'ReleaseCapture', 'bool', []),
    GetCursorPos: f(u, 'GetCursorPos', 'bool', ['void *']),
    GetKeyState: f(u, 'GetKeyState', 'int16', ['int']),
    SystemParametersInfoW: f(u, 'SystemParametersInfoW', 'bool', ['uint32', 'uint32', 'void *', 'uint32']),
    LoadCursorW: f(u, 'LoadCursorW', 'void *', ['void *', 'uintptr']),
    GetDpiForWindow: optional(u, 'GetDpiForWindow', 'uint32', ['void *']),
    GetDC: f(u, 'GetDC', 'void *', ['void *']),
    ReleaseDC: f(u, 'ReleaseDC', 'int', ['void *', 'void *']),
    GetDeviceCaps: f(g, 'GetDeviceCaps', 'int', ['void *', 'int']),
    SetProcessDpiAwarenessContext: optional(u, 'SetProcessDpiAwarenessContext', 'int', ['intptr']),
  };
  return api;
}

/** RECT bytes → numbers */
export function readRect(b: Buffer): { left: number; top: number; right: number; bottom: number } {
  return { left: b.readInt32LE(0), top: b.readInt32LE(4), right: b.readInt32LE(8), bottom: b.readInt32LE(12) };
}
