import type { PanelKey } from '../types.js';

/** Pure parts of the Windows session panel (platform/windows/panel-window.ts), testable without Windows. */

/** where the panel goes: the work area's top-right corner, this many 96-dpi pixels from its edges */
export const PANEL_MARGIN = 16;

/**
 * How much to enlarge the panel: `override` (FERNHILFE_PANEL_SCALE, 1 to 4) where set, else the
 * window's DPI (per-monitor aware: 192 at 200 %) / 96, rounded to quarters, 1 to 4.
 */
export function windowsPanelScale(override: string | undefined, dpi: number | undefined): number {
  const forced = Number(override);
  if (override && Number.isFinite(forced) && forced >= 1 && forced <= 4) return forced;
  if (dpi === undefined || !Number.isFinite(dpi) || dpi <= 0) return 1;
  return Math.min(4, Math.max(1, Math.round((dpi / 96) * 4) / 4));
}

/** The panel's top-left corner in the work area's top-right corner (never left of or above the work area). */
export function cornerOf(work: { left: number; top: number; right: number; bottom: number }, size: { width: number; height: number }, scale: number): { x: number; y: number } {
  const margin = Math.round(PANEL_MARGIN * scale);
  return { x: Math.max(work.left, work.right - margin - size.width), y: Math.min(work.top + margin, Math.max(work.top, work.bottom - size.height)) };
}

const VK_TAB = 0x09;
const VK_RETURN = 0x0d;
const VK_ESCAPE = 0x1b;
const VK_SPACE = 0x20;

/** A WM_KEYDOWN's virtual key as the panel's key (Tab, Shift+Tab, Enter or Space, Escape); undefined for the rest. */
export function panelKeyOf(vk: number, shift: boolean): PanelKey | undefined {
  if (vk === VK_TAB) return shift ? 'shift-tab' : 'tab';
  if (vk === VK_RETURN || vk === VK_SPACE) return 'enter';
  if (vk === VK_ESCAPE) return 'escape';
  return undefined;
}

/** A mouse message's lParam as client coordinates (signed 16-bit halves: GET_X_LPARAM / GET_Y_LPARAM). */
export function pointOf(lParam: number | bigint): { x: number; y: number } {
  const v = Number(BigInt.asUintN(32, BigInt(lParam)));
  return { x: (v << 16) >> 16, y: v >> 16 };
}
