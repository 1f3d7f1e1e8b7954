import type { Layout, Stroke } from './keyboard.js';
import type { Handle, Win32 } from './win32.js';

const MAPVK_VSC_TO_VK_EX = 3;
const MAPVK_VK_TO_CHAR = 2;
const MAPVK_VK_TO_VSC = 0;
const MAPVK_VK_TO_VSC_EX = 4;
const DEAD_KEY = 0x80000000;

/**
 * The keyboard layout the customer types with right now: the one of the foreground window's thread
 * (each thread on Windows has its own; the customer may switch with Win+Space).
 */
export function foregroundLayout(w: Win32): Handle {
  const hwnd = w.GetForegroundWindow();
  const thread = hwnd ? w.GetWindowThreadProcessId(hwnd, [0]) : 0;
  return w.GetKeyboardLayout(thread);
}

/**
 * Where characters are on layout `hkl`: VkKeyScanExW gives the virtual key and the shift state
 * (1 Shift, 2 Ctrl, 4 Alt; Ctrl+Alt is AltGr), MapVirtualKeyExW its scan code. No key: a character
 * the layout lacks, one behind a dead key (^ on German: pressing it would wait for the next key),
 * one that needs other modifiers (Kana), or one outside the BMP.
 */
export function windowsLayout(w: Win32, hkl: Handle): Layout {
  return {
    stroke(ch: string): Stroke | undefined {
      if (ch.length !== 1) return undefined;
      const r = w.VkKeyScanExW(ch.charCodeAt(0), hkl);
      if (r === -1) return undefined;
      const vk = r & 0xff;
      const state = (r >> 8) & 0xff;
      if (state !== 0 && state !== 1 && state !== 6 && state !== 7) return undefined;
      if ((w.MapVirtualKeyExW(vk, MAPVK_VK_TO_CHAR, hkl) & DEAD_KEY) !== 0) return undefined;
      const sc = w.MapVirtualKeyExW(vk, MAPVK_VK_TO_VSC_EX, hkl) || w.MapVirtualKeyExW(vk, MAPVK_VK_TO_VSC, hkl);
      if (!sc) return undefined;
      return { key: { scan: sc & 0xff, extended: (sc & 0xff00) === 0xe000 }, shift: (state & 1) !== 0, altgr: (state & 6) === 6 };
    },
  };
}

/** The virtual key of a scan code on `hkl` (SendInput ignores it with KEYEVENTF_SCANCODE; set for programs that look). */
export function vkOfScan(w: Win32, hkl: Handle, scan: number, extended: boolean): number {
  return w.MapVirtualKeyExW(extended ? 0xe000 | scan : scan, MAPVK_VSC_TO_VK_EX, hkl) & 0xff;
}
