import { fileURLToPath } from 'node:url';
import type { WineDesktop } from '@fernhilfe/testkit';
import { askWindows } from './notepad-host.js';

const ENTRY = fileURLToPath(new URL('./desktop-probe.ts', import.meta.url));

type Rgb = [number, number, number];
export interface ScreenPixel {
  x: number;
  y: number;
  /** what GDI's GetPixel of the screen DC gives there */
  rgb: Rgb;
}
type Rect = { left: number; top: number; right: number; bottom: number };
export type NotepadOnScreen =
  | { found: false }
  | { found: true; screen: { width: number; height: number }; window: Rect; edit: Rect; pixels: { edit: ScreenPixel; title: ScreenPixel; outside?: ScreenPixel } };

/** Where Notepad is on `wine`'s desktop and what GDI shows in it and beside it (desktop-probe.ts). */
export function notepadOnScreen(wine: WineDesktop, dir: string): Promise<NotepadOnScreen> {
  return askWindows<NotepadOnScreen>(wine, dir, ENTRY, [JSON.stringify({ ask: 'notepad' })]);
}

/** The Windows clipboard's text, read by another Windows process (null: no text on it). */
export async function windowsClipboardText(wine: WineDesktop, dir: string): Promise<string | null> {
  return (await askWindows<{ text: string | null }>(wine, dir, ENTRY, [JSON.stringify({ ask: 'clipboard-read' })])).text;
}

/** Puts `text` on the Windows clipboard from another Windows process, as the customer's copy would. */
export async function copyOnWindows(wine: WineDesktop, dir: string, text: string): Promise<void> {
  const answer = await askWindows<{ written?: boolean; error?: string }>(wine, dir, ENTRY, [JSON.stringify({ ask: 'clipboard-write', text })]);
  if (!answer.written) throw new Error(`the clipboard was not written: ${answer.error ?? 'no answer'}`);
}

