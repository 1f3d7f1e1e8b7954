import { expect, vi } from 'vitest';
import type { CapturedFrame, ScreenCapture } from '../../../packages/agent/src/platform/types.js';

/** The next picture `capture` has (a full grab), waiting up to 10 s for the first one. */
export async function nextPicture(capture: ScreenCapture): Promise<CapturedFrame> {
  let frame: CapturedFrame | undefined;
  await vi.waitFor(async () => {
    frame = await capture.grab({ full: true });
    expect(frame).toBeDefined();
  }, { timeout: 10_000, interval: 50 });
  return frame!;
}

/** Where a person sees GNOME's sharing dialog's controls, found in a picture of the screen (BGRx). */
export interface ShareDialog {
  /** the blue Share button's middle */
  share: { x: number; y: number };
  /** the "Allow remote interaction" switch's middle (remote-desktop dialogs only; found while the dialog is as it opened) */
  allowInput: { x: number; y: number } | undefined;
}

const rgb = (f: CapturedFrame, x: number, y: number): [number, number, number] => {
  const i = (y * f.width + x) * 4;
  return [f.data[i + 2]!, f.data[i + 1]!, f.data[i]!];
};
/** GNOME's accent blue (#3584e4 and its shades on the button) */
const isAccent = ([r, g, b]: [number, number, number]) => b > 200 && r < 90 && g > 110 && g < 150;
const isWhite = ([r, g, b]: [number, number, number]) => r >= 254 && g >= 254 && b >= 254;

/**
 * GNOME's portal dialog (xdg-desktop-portal-gnome): a header with Cancel and a blue Share button,
 * the monitor list, and for remote desktop a white card "Allow remote interaction" with a switch at
 * its right. Looked for as a person would: the blue button, then the lowest white card below it in
 * the button's column band, its switch the first thing left of the card's right edge on the card's
 * middle row (the card is pure white only as the dialog opens: look before clicking). Undefined while
 * no blue button shows.
 */
export function findShareDialog(f: CapturedFrame): ShareDialog | undefined {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -1;
  let y1 = -1;
  // the button is the topmost blue thing (the switch, once on, is blue too, further down)
  for (let y = 0; y < f.height && y < y0 + 45; y++) {
    for (let x = 0; x < f.width; x++) {
      if (!isAccent(rgb(f, x, y))) continue;
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x);
      y1 = Math.max(y1, y);
    }
  }
  // a button, not a few stray pixels
  if (x1 - x0 < 30 || y1 - y0 < 15) return undefined;
  const share = { x: Math.round((x0 + x1) / 2), y: Math.round((y0 + y1) / 2) };
  const column = x1 - 30;
  let card: { top: number; bottom: number } | undefined;
  let top: number | undefined;
  for (let y = y1 + 1; y < f.height; y++) {
    const white = isWhite(rgb(f, column, y));
    if (white && top === undefined) top = y;
    if (!white && top !== undefined) {
      if (y - top > 20) card = { top, bottom: y - 1 };
      top = undefined;
    }
  }
  if (!card) return { share, allowInput: undefined };
  const row = Math.round((card.top + card.bottom) / 2);
  let edge = column;
  while (edge > column - 200 && isWhite(rgb(f, edge, row))) edge--;
  return { share, allowInput: { x: edge - 22, y: row } };
}

/** Whether the switch at `at` shows on (GNOME's blue) in `f`. */
export function switchOn(f: CapturedFrame, at: { x: number; y: number }): boolean {
  for (let x = at.x - 20; x <= at.x + 20; x++) if (isAccent(rgb(f, x, at.y))) return true;
  return false;
}
