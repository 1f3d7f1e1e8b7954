import type { DesktopElevation, PlatformEnv } from '../types.js';
import { loadKoffi, type KoffiApi } from './koffi.js';

const PROCESS_QUERY_LIMITED_INFORMATION = 0x1000;
const TOKEN_QUERY = 0x0008;
const TOKEN_ELEVATION = 20;
const DESKTOP_READOBJECTS = 0x0001;
const UOI_NAME = 2;
/** the desktops Windows switches to for the UAC prompt and the lock screen, and the screen saver's */
const SECURE_DESKTOPS = new Set(['winlogon', 'screen-saver']);

type Fn = (...args: unknown[]) => unknown;
interface Calls {
  GetForegroundWindow: Fn;
  GetShellWindow: Fn;
  GetDesktopWindow: Fn;
  address: (p: unknown) => bigint;
  GetWindowThreadProcessId: Fn;
  GetCurrentProcess: Fn;
  OpenProcess: Fn;
  OpenProcessToken: Fn;
  GetTokenInformation: Fn;
  CloseHandle: Fn;
  OpenInputDesktop: Fn;
  GetUserObjectInformationW: Fn;
  CloseDesktop: Fn;
}
let calls: Calls | undefined;

function bind(koffi: KoffiApi): Calls {
  if (calls) return calls;
  const u = koffi.load('user32.dll');
  const k = koffi.load('kernel32.dll');
  const a = koffi.load('advapi32.dll');
  const f = (lib: ReturnType<KoffiApi['load']>, proto: string) => lib.func(proto) as unknown as Fn;
  calls = {
    GetForegroundWindow: f(u, 'void * __stdcall GetForegroundWindow()'),
    GetShellWindow: f(u, 'void * __stdcall GetShellWindow()'),
    GetDesktopWindow: f(u, 'void * __stdcall GetDesktopWindow()'),
    address: (p) => koffi.address(p),
    GetWindowThreadProcessId: f(u, 'uint32 __stdcall GetWindowThreadProcessId(void *, _Out_ uint32 *)'),
    GetCurrentProcess: f(k, 'void * __stdcall GetCurrentProcess()'),
    OpenProcess: f(k, 'void * __stdcall OpenProcess(uint32, bool, uint32)'),
    OpenProcessToken: f(a, 'bool __stdcall OpenProcessToken(void *, uint32, _Out_ void **)'),
    GetTokenInformation: f(a, 'bool __stdcall GetTokenInformation(void *, int, _Out_ uint32 *, uint32, _Out_ uint32 *)'),
    CloseHandle: f(k, 'bool __stdcall CloseHandle(void *)'),
    OpenInputDesktop: f(u, 'void * __stdcall OpenInputDesktop(uint32, bool, uint32)'),
    GetUserObjectInformationW: f(u, 'bool __stdcall GetUserObjectInformationW(void *, int, _Out_ uint16 *, uint32, _Out_ uint32 *)'),
    CloseDesktop: f(u, 'bool __stdcall CloseDesktop(void *)'),
  };
  return calls;
}

/** Whether a process's token is elevated; undefined when its token cannot be read. */
function processElevated(c: Calls, process: unknown): boolean | undefined {
  const token: unknown[] = [null];
  if (!c.OpenProcessToken(process, TOKEN_QUERY, token)) return undefined;
  try {
    const elevated = [0];
    const size = [0];
    return c.GetTokenInformation(token[0], TOKEN_ELEVATION, elevated, 4, size) ? elevated[0] !== 0 : undefined;
  } finally {
    c.CloseHandle(token[0]);
  }
}

/**
 * The foreground window's process elevated (an administrator's window, which our input cannot reach
 * unless we are elevated too: Windows' UIPI drops it silently)? A process we may not even query
 * counts as elevated: it runs above us. Also whether this program itself is elevated, and whether
 * the input desktop is a secure one (the UAC prompt, the lock screen: "Winlogon"), which no program
 * can see or control.
 */
export function desktopElevation(env: PlatformEnv): DesktopElevation {
  const c = bind(loadKoffi(env));
  const self = processElevated(c, c.GetCurrentProcess()) ?? false;
  let foreground = false;
  const hwnd = c.GetForegroundWindow();
  // the desktop itself (the shell's window) is nothing the technician types into
  const desktop = [c.GetShellWindow(), c.GetDesktopWindow()].filter(Boolean).map((h) => c.address(h));
  if (hwnd && !desktop.includes(c.address(hwnd))) {
    const pid = [0];
    c.GetWindowThreadProcessId(hwnd, pid);
    const process = pid[0] ? c.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, false, pid[0]) : null;
    if (!process) foreground = Boolean(pid[0]);
    else {
      foreground = processElevated(c, process) ?? true;
      c.CloseHandle(process);
    }
  }
  return { foregroundElevated: foreground, selfElevated: self, secureDesktop: secureDesktop(c) };
}

function secureDesktop(c: Calls): boolean {
  const desk = c.OpenInputDesktop(0, false, DESKTOP_READOBJECTS);
  // the input desktop cannot even be opened: it is the secure desktop (or another session's)
  if (!desk) return true;
  try {
    const name = new Uint16Array(64);
    const needed = [0];
    if (!c.GetUserObjectInformationW(desk, UOI_NAME, name, name.byteLength, needed)) return false;
    // "Default" is the customer's desktop (wine's virtual desktop has its own name, e.g. "shell")
    return SECURE_DESKTOPS.has(String.fromCharCode(...name.slice(0, name.indexOf(0) < 0 ? name.length : name.indexOf(0))).toLowerCase());
  } finally {
    c.CloseDesktop(desk);
  }
}
