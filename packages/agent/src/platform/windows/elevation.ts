import type { PlatformEnv } from '../types.js';
import { win32, type Handle, type Win32 } from './win32.js';

const PROCESS_QUERY_LIMITED_INFORMATION = 0x1000;
const TOKEN_QUERY = 0x8;

/** true / false: the process's token is elevated or not; undefined: the token could not be read. */
function elevated(w: Win32, process: Handle): boolean | undefined {
  const token: Handle[] = [null];
  if (!w.OpenProcessToken(process, TOKEN_QUERY, token) || !token[0]) return undefined;
  try {
    const value = [0];
    return w.GetTokenElevation(token[0], value) ? value[0] !== 0 : undefined;
  } finally {
    w.CloseHandle(token[0]);
  }
}

/**
 * Whether our input cannot reach the window in front: Windows drops SendInput into a program of a
 * higher integrity level without an error (UIPI), so remote keys and clicks into an elevated window
 * (an installer, regedit, a UAC-elevated console) do nothing unless this program is elevated too.
 * True when the foreground window's process is elevated and we are not, or when we may not even
 * look at that process (OpenProcess with PROCESS_QUERY_LIMITED_INFORMATION refused: it runs higher
 * than us). Cheap (a few system calls): the customer's page can ask while control is granted and
 * offer "restart as administrator". The secure desktop (the UAC prompt itself, Ctrl+Alt+Del)
 * cannot be controlled at all, elevated or not: there is no foreground window of ours to ask about.
 */
export function foregroundIsElevated(env: PlatformEnv): boolean {
  const w = win32(env);
  if (elevated(w, w.GetCurrentProcess()) === true) return false;
  const hwnd = w.GetForegroundWindow();
  if (!hwnd) return false;
  const pid = [0];
  w.GetWindowThreadProcessId(hwnd, pid);
  if (!pid[0]) return false;
  const process = w.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, false, pid[0]);
  if (!process) return true;
  try {
    return elevated(w, process) !== false;
  } finally {
    w.CloseHandle(process);
  }
}
