import { fileURLToPath } from 'node:url';
import type { WineDesktop } from '@fernhilfe/testkit';
import { askWindows } from './notepad-host.js';

const ENTRY = fileURLToPath(new URL('./panel-probe.ts', import.meta.url));

type Rect = { left: number; top: number; right: number; bottom: number };
export type PanelSeen = { found: false; error?: string } | { found: true; visible: boolean; rect: Rect; style: number; exStyle: number; title: string };

export const WS_POPUP = 0x80000000;
export const WS_EX_TOPMOST = 0x8;
export const WS_EX_TOOLWINDOW = 0x80;
export const WS_EX_APPWINDOW = 0x40000;

/** The session panel's window on `wine`'s desktop as another Windows program sees it (panel-probe.ts). */
export function panelOnScreen(wine: WineDesktop, dir: string): Promise<PanelSeen> {
  return askWindows<PanelSeen>(wine, dir, ENTRY, [JSON.stringify({ ask: 'panel' })]);
}

/** Maximises Notepad and brings it to the front, as the customer clicking it would. */
export function notepadToFront(wine: WineDesktop, dir: string): Promise<{ found: boolean; rect?: Rect; front?: boolean }> {
  return askWindows(wine, dir, ENTRY, [JSON.stringify({ ask: 'notepad-front' })]);
}

/** Where Windows has the pointer (GetCursorPos), as another Windows program sees it. */
export async function windowsCursor(wine: WineDesktop, dir: string): Promise<{ x: number; y: number }> {
  const { x, y } = await askWindows<{ x: number; y: number; capture: string }>(wine, dir, ENTRY, [JSON.stringify({ ask: 'cursor' })]);
  return { x, y };
}
