import type { KoffiApi } from './koffi.js';

/** A bound Windows function (koffi's own functions take and return `any`). */
export type Fn = (...args: unknown[]) => unknown;

/**
 * The koffi types a window of our own needs (the native dialog, the session panel): the window
 * procedure's prototype named `procName` (one name per window class: koffi's names are global),
 * WNDCLASSEXW and MSG (anonymous), and a binder for __stdcall functions.
 */
export function windowTypes(koffi: KoffiApi, procName: string) {
  const wndProc = koffi.proto('__stdcall', procName, 'intptr', ['void *', 'uint32', 'uintptr', 'intptr']);
  const wndClass = koffi.struct({
    cbSize: 'uint32', style: 'uint32', lpfnWndProc: koffi.pointer(wndProc), cbClsExtra: 'int', cbWndExtra: 'int', hInstance: 'void *',
    hIcon: 'void *', hCursor: 'void *', hbrBackground: 'void *', lpszMenuName: 'str16', lpszClassName: 'str16', hIconSm: 'void *',
  });
  const msg = koffi.struct({ hwnd: 'void *', message: 'uint32', wParam: 'uintptr', lParam: 'intptr', time: 'uint32', x: 'int32', y: 'int32', lPrivate: 'uint32' });
  const f = (lib: ReturnType<KoffiApi['load']>, name: string, result: string, args: unknown[]) => lib.func('__stdcall', name, result, args as string[]) as unknown as Fn;
  return { wndProc, wndClass, msg, f };
}

/** What every window class of ours binds: its procedure, registration, creation and the message pump. */
export interface WindowClassApi {
  /** the class's window procedure calls this (one window of the class at a time per process) */
  handler: { current: (hwnd: unknown, message: number, wParam: number | bigint, lParam: number | bigint) => unknown };
  classSize: number;
  proc: unknown;
  RegisterClassExW: Fn;
  CreateWindowExW: Fn;
  DefWindowProcW: Fn;
  DestroyWindow: Fn;
  PeekMessageW: Fn;
  TranslateMessage: Fn;
  DispatchMessageW: Fn;
  GetModuleHandleW: Fn;
}
