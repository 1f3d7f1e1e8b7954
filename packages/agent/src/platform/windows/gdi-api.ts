import type { LibraryHandle, TypeObject } from 'koffi';
import type { PlatformEnv } from '../types.js';
import { loadKoffi, type KoffiApi } from './koffi.js';

/**
 * The user32/gdi32 calls of the capture (GDI BitBlt, monitors, pointer and its shape), bound once
 * per process through koffi. Structs are anonymous koffi types (no global names, so the input and
 * clipboard bindings may declare their own POINT without a clash); every pointer to a Windows
 * object (HDC, HBITMAP, HCURSOR, HMONITOR) is koffi's opaque pointer value.
 */
export interface GdiApi {
  koffi: KoffiApi;
  GetDC: KoffiFunction;
  ReleaseDC: KoffiFunction;
  CreateCompatibleDC: KoffiFunction;
  DeleteDC: KoffiFunction;
  CreateDIBSection: KoffiFunction;
  SelectObject: KoffiFunction;
  DeleteObject: KoffiFunction;
  BitBlt: KoffiFunction;
  GetDIBits: KoffiFunction;
  GetObjectW: KoffiFunction;
  GetCursorPos: KoffiFunction;
  GetCursorInfo: KoffiFunction;
  GetIconInfo: KoffiFunction;
  LoadCursorW: KoffiFunction;
  GetLastInputInfo: KoffiFunction;
  EnumDisplayMonitors: KoffiFunction;
  GetMonitorInfoW: KoffiFunction;
  GetSystemMetrics: KoffiFunction;
  /** Windows 10 1703+: per-monitor DPI awareness, so that capture, monitors and the pointer are in real pixels */
  SetProcessDpiAwarenessContext: KoffiFunction | undefined;
  types: { RECT: TypeObject; POINT: TypeObject; CURSORINFO: TypeObject; ICONINFO: TypeObject; BITMAP: TypeObject; MONITORINFOEXW: TypeObject };
}

/** a bound Windows function (koffi's own type is not exported) */
export type KoffiFunction = ReturnType<LibraryHandle['func']>;

let api: GdiApi | undefined;

export function gdiApi(env: PlatformEnv): GdiApi {
  if (api) return api;
  const k = loadKoffi(env);
  const user32 = k.load('user32.dll');
  const gdi32 = k.load('gdi32.dll');
  const RECT = k.struct({ left: 'int32', top: 'int32', right: 'int32', bottom: 'int32' });
  const POINT = k.struct({ x: 'int32', y: 'int32' });
  const CURSORINFO = k.struct({ cbSize: 'uint32', flags: 'uint32', hCursor: 'void*', ptScreenPos: POINT });
  const ICONINFO = k.struct({ fIcon: 'int32', xHotspot: 'uint32', yHotspot: 'uint32', hbmMask: 'void*', hbmColor: 'void*' });
  const BITMAP = k.struct({ bmType: 'int32', bmWidth: 'int32', bmHeight: 'int32', bmWidthBytes: 'int32', bmPlanes: 'uint16', bmBitsPixel: 'uint16', bmBits: 'void*' });
  const LASTINPUTINFO = k.struct({ cbSize: 'uint32', dwTime: 'uint32' });
  const MONITORINFOEXW = k.struct({ cbSize: 'uint32', rcMonitor: RECT, rcWork: RECT, dwFlags: 'uint32', szDevice: k.array('char16', 32, 'String') });
  const MonitorEnumProc = k.proto('__stdcall', undefined, 'int32', ['void*', 'void*', k.pointer(RECT), 'intptr']);
  const f = (lib: LibraryHandle, name: string, result: string, args: unknown[]) => lib.func('__stdcall', name, result, args as never) as KoffiFunction;
  const optional = (lib: LibraryHandle, name: string, result: string, args: unknown[]) => {
    try {
      return f(lib, name, result, args);
    } catch {
      return undefined;
    }
  };
  api = {
    koffi: k,
    GetDC: f(user32, 'GetDC', 'void*', ['void*']),
    ReleaseDC: f(user32, 'ReleaseDC', 'int', ['void*', 'void*']),
    CreateCompatibleDC: f(gdi32, 'CreateCompatibleDC', 'void*', ['void*']),
    DeleteDC: f(gdi32, 'DeleteDC', 'int', ['void*']),
    // BITMAPINFO is passed as bytes (bitmapInfo()): the same header serves the DIB section and GetDIBits
    CreateDIBSection: f(gdi32, 'CreateDIBSection', 'void*', ['void*', 'void*', 'uint32', k.out(k.pointer('void*')), 'void*', 'uint32']),
    SelectObject: f(gdi32, 'SelectObject', 'void*', ['void*', 'void*']),
    DeleteObject: f(gdi32, 'DeleteObject', 'int', ['void*']),
    BitBlt: f(gdi32, 'BitBlt', 'int', ['void*', 'int', 'int', 'int', 'int', 'void*', 'int', 'int', 'uint32']),
    GetDIBits: f(gdi32, 'GetDIBits', 'int', ['void*', 'void*', 'uint32', 'uint32', 'void*', 'void*', 'uint32']),
    GetObjectW: f(gdi32, 'GetObjectW', 'int', ['void*', 'int', k.out(k.pointer(BITMAP))]),
    GetCursorPos: f(user32, 'GetCursorPos', 'int', [k.out(k.pointer(POINT))]),
    GetCursorInfo: f(user32, 'GetCursorInfo', 'int', [k.inout(k.pointer(CURSORINFO))]),
    GetIconInfo: f(user32, 'GetIconInfo', 'int', ['void*', k.out(k.pointer(ICONINFO))]),
    GetLastInputInfo: f(user32, 'GetLastInputInfo', 'int', [k.inout(k.pointer(LASTINPUTINFO))]),
    LoadCursorW: f(user32, 'LoadCursorW', 'void*', ['void*', 'uintptr']),
    EnumDisplayMonitors: f(user32, 'EnumDisplayMonitors', 'int', ['void*', 'void*', k.pointer(MonitorEnumProc), 'intptr']),
    GetMonitorInfoW: f(user32, 'GetMonitorInfoW', 'int', ['void*', k.inout(k.pointer(MONITORINFOEXW))]),
    GetSystemMetrics: f(user32, 'GetSystemMetrics', 'int', ['int']),
    SetProcessDpiAwarenessContext: optional(user32, 'SetProcessDpiAwarenessContext', 'int', ['intptr']),
    types: { RECT, POINT, CURSORINFO, ICONINFO, BITMAP, MONITORINFOEXW },
  };
  return api;
}

/** BITMAPINFO (header + 4 colour slots) for a 32-bit top-down BGRX DIB of `width` x `height`. */
export function bitmapInfo(width: number, height: number): Buffer {
  const b = Buffer.alloc(40 + 16);
  b.writeUInt32LE(40, 0); // biSize
  b.writeInt32LE(width, 4);
  b.writeInt32LE(-height, 8); // negative: top-down rows
  b.writeUInt16LE(1, 12); // biPlanes
  b.writeUInt16LE(32, 14); // biBitCount
  return b; // biCompression BI_RGB (0), the rest 0
}

export const SRCCOPY = 0x00cc0020;
/** include layered (translucent) windows in the copy */
export const CAPTUREBLT = 0x40000000;
export const DIB_RGB_COLORS = 0;
export const CURSOR_SHOWING = 1;
export const MONITORINFOF_PRIMARY = 1;
export const SM_XVIRTUALSCREEN = 76;
export const SM_YVIRTUALSCREEN = 77;
export const SM_CXVIRTUALSCREEN = 78;
export const SM_CYVIRTUALSCREEN = 79;
/** DPI_AWARENESS_CONTEXT_PER_MONITOR_AWARE_V2 */
export const PER_MONITOR_AWARE_V2 = -4;
