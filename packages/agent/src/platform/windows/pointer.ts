import type { CursorShape } from '../types.js';
import { colorCursorRgba, monochromeCursorRgba } from './cursor.js';
import { CURSOR_SHOWING, DIB_RGB_COLORS, bitmapInfo, type GdiApi } from './gdi-api.js';

/** The pointer's position in virtual-desktop pixels (GetCursorPos), undefined when Windows will not say (secure desktop). */
export function cursorPos(api: GdiApi): { x: number; y: number } | undefined {
  const p = { x: 0, y: 0 };
  return api.GetCursorPos(p) ? { x: p.x, y: p.y } : undefined;
}

/** GetLastInputInfo: the tick count of the last keyboard or mouse input, injected input included (0 when unknown). */
export function lastInputTime(api: GdiApi): number {
  const info = { cbSize: 8, dwTime: 0 };
  return api.GetLastInputInfo(info) ? info.dwTime : 0;
}

/** The handle of the cursor shown now (0n: hidden), cheap enough to poll: a new handle is a new shape. */
export function cursorHandle(api: GdiApi): bigint {
  const info = { cbSize: api.koffi.sizeof(api.types.CURSORINFO), flags: 0, hCursor: null as unknown, ptScreenPos: { x: 0, y: 0 } };
  if (!api.GetCursorInfo(info) || !(info.flags & CURSOR_SHOWING) || !info.hCursor) return 0n;
  return api.koffi.address(info.hCursor);
}

const IDC_ARROW = 32512;

/**
 * The shape of the cursor shown now: GetCursorInfo, then shapeOf() its handle. Undefined when no
 * cursor shows. Where Windows will not describe the handle (under wine, a cursor of another
 * process: GetIconInfo fails), the standard arrow stands in, so the viewer still sees a pointer.
 */
export function readCursorShape(api: GdiApi, serial: number): CursorShape | undefined {
  const info = { cbSize: api.koffi.sizeof(api.types.CURSORINFO), flags: 0, hCursor: null as unknown, ptScreenPos: { x: 0, y: 0 } };
  if (!api.GetCursorInfo(info) || !(info.flags & CURSOR_SHOWING) || !info.hCursor) return undefined;
  return shapeOf(api, info.hCursor, serial) ?? shapeOf(api, api.LoadCursorW(null, IDC_ARROW), serial);
}

/** A cursor's picture: GetIconInfo (hot spot, mask and colour bitmaps) -> GetDIBits of each as 32-bit rows -> RGBA (cursor.ts). */
export function shapeOf(api: GdiApi, cursor: unknown, serial: number): CursorShape | undefined {
  const icon = { fIcon: 0, xHotspot: 0, yHotspot: 0, hbmMask: null as unknown, hbmColor: null as unknown };
  if (!cursor || !api.GetIconInfo(cursor, icon)) return undefined;
  const dc = api.GetDC(null);
  try {
    const maskSize = bitmapSize(api, icon.hbmMask);
    if (!maskSize) return undefined;
    const width = maskSize.width;
    const color = icon.hbmColor ? readBits(api, dc, icon.hbmColor, width, bitmapSize(api, icon.hbmColor)?.height ?? 0) : undefined;
    const height = color ? color.height : maskSize.height >> 1; // monochrome: AND above XOR
    const mask = readBits(api, dc, icon.hbmMask, width, maskSize.height);
    if (!mask || width === 0 || height === 0) return undefined;
    const rgba = color ? colorCursorRgba(color.pixels, mask.pixels, width, height) : monochromeCursorRgba(mask.pixels, width, height);
    return { serial, width, height, hotX: icon.xHotspot, hotY: icon.yHotspot, rgba };
  } finally {
    api.ReleaseDC(null, dc);
    if (icon.hbmMask) api.DeleteObject(icon.hbmMask);
    if (icon.hbmColor) api.DeleteObject(icon.hbmColor);
  }
}

function bitmapSize(api: GdiApi, bitmap: unknown): { width: number; height: number } | undefined {
  const bm = { bmType: 0, bmWidth: 0, bmHeight: 0, bmWidthBytes: 0, bmPlanes: 0, bmBitsPixel: 0, bmBits: null };
  if (!api.GetObjectW(bitmap, api.koffi.sizeof(api.types.BITMAP), bm)) return undefined;
  return { width: bm.bmWidth, height: Math.abs(bm.bmHeight) };
}

function readBits(api: GdiApi, dc: unknown, bitmap: unknown, width: number, height: number): { pixels: Buffer; height: number } | undefined {
  if (width <= 0 || height <= 0) return undefined;
  const pixels = Buffer.alloc(width * height * 4);
  const lines = api.GetDIBits(dc, bitmap, 0, height, pixels, bitmapInfo(width, height), DIB_RGB_COLORS) as number;
  return lines > 0 ? { pixels, height } : undefined;
}
