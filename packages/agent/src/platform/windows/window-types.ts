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

/**
 * The bindings every window class of ours shares (all of WindowClassApi but CreateWindowExW, whose
 * menu argument the classes declare differently): the window procedure, registered once and kept for
 * the process's life (the window class holds on to it), which calls `handler.current` (DefWindowProcW
 * until the class sets its own); registration; and the message pump. Also the types and the libraries,
 * for the class's own bindings.
 */
export function windowClassApi(koffi: KoffiApi, procName: string) {
  const types = windowTypes(koffi, procName);
  const { wndProc, wndClass, msg, f } = types;
  const user32 = koffi.load('user32.dll');
  const kernel32 = koffi.load('kernel32.dll');
  const DefWindowProcW = f(user32, 'DefWindowProcW', 'intptr', ['void *', 'uint32', 'uintptr', 'intptr']);
  const handler: WindowClassApi['handler'] = { current: (h, m, wp, lp) => DefWindowProcW(h, m, wp, lp) };
  const proc = koffi.register((h: unknown, m: number, wp: number | bigint, lp: number | bigint) => handler.current(h, m, wp, lp), koffi.pointer(wndProc));
  const common: Omit<WindowClassApi, 'CreateWindowExW'> = {
    handler,
    classSize: koffi.sizeof(wndClass),
    proc,
    RegisterClassExW: f(user32, 'RegisterClassExW', 'uint16', [koffi.pointer(wndClass)]),
    DefWindowProcW,
    DestroyWindow: f(user32, 'DestroyWindow', 'bool', ['void *']),
    PeekMessageW: f(user32, 'PeekMessageW', 'bool', [koffi.out(koffi.pointer(msg)), 'void *', 'uint32', 'uint32', 'uint32']),
    TranslateMessage: f(user32, 'TranslateMessage', 'bool', [koffi.pointer(msg)]),
    DispatchMessageW: f(user32, 'DispatchMessageW', 'intptr', [koffi.pointer(msg)]),
    GetModuleHandleW: f(kernel32, 'GetModuleHandleW', 'void *', ['str16']),
  };
  return { ...types, user32, kernel32, common };
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
