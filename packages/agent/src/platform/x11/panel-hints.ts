/** ICCCM/EWMH property values for the session panel's window (pure, so they can be tested without an X server). */

const u32 = (...v: number[]) => Buffer.from(new Uint32Array(v).buffer);

/** WM_HINTS: flags InputHint | StateHint, input true (the panel takes keys when clicked), NormalState. */
export function wmHints(): Buffer {
  return u32(1 | 2, 1, 1, 0, 0, 0, 0, 0, 0);
}

const US_POSITION = 1;
const P_POSITION = 4;
const P_MIN_SIZE = 16;
const P_MAX_SIZE = 32;

/** WM_NORMAL_HINTS: fixed size (min = max: the customer cannot resize it), and the position where given. */
export function wmNormalHints(pos: { x: number; y: number } | undefined, size: { width: number; height: number }): Buffer {
  const flags = P_MIN_SIZE | P_MAX_SIZE | (pos ? US_POSITION | P_POSITION : 0);
  return u32(flags, pos?.x ?? 0, pos?.y ?? 0, size.width, size.height, size.width, size.height, size.width, size.height, 0, 0, 0, 0, 0, 0, 0, 0, 1);
}

/**
 * How much to enlarge the panel: `override` (FERNHILFE_PANEL_SCALE, 1 to 4) where set, else the
 * desktop's `Xft.dpi` from the root window's RESOURCE_MANAGER (what GNOME, KDE and xrdb set for
 * 200 %: 192) divided by 96, else 1. The screen's millimetres are not used: X servers report them
 * from an assumed 96 dpi more often than not.
 */
export function panelScale(override: string | undefined, resources: string | undefined): number {
  const forced = Number(override);
  if (override && Number.isFinite(forced) && forced >= 1 && forced <= 4) return forced;
  const dpi = Number(/^Xft\.dpi:\s*([0-9.]+)\s*$/m.exec(resources ?? '')?.[1]);
  if (Number.isFinite(dpi) && dpi > 0) return Math.min(4, Math.max(1, Math.round((dpi / 96) * 4) / 4));
  return 1;
}
