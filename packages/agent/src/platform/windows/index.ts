import type { Platform } from '../types.js';
import { windowsDownloadsFolder } from './downloads.js';
import { openWindowsCapture } from './capture.js';
import { openWindowsClipboard } from './clipboard.js';
import { openWindowsInjector } from './input.js';
import { WindowsPanelWindow } from './panel-window.js';
import { windowsShell } from './shell.js';

/**
 * Windows through koffi (koffi.ts): capture (Desktop Duplication where it works, GDI otherwise),
 * input (SendInput), the clipboard, and the shell for the customer's face (default browser, restart elevated), and the session panel. It runs only in a Windows process (also under wine in the tests).
 */
export const windows: Platform = {
  name: 'windows',
  available: () => (process.platform === 'win32' ? undefined : `this is ${process.platform}, not Windows`),
  /** the known folder (SHGetKnownFolderPath), which the customer may have moved */
  downloadsFolder: (env) => windowsDownloadsFolder(env),
  openCapture: (env, opts = {}) => openWindowsCapture(env, opts),
  openInjector: (env) => openWindowsInjector(env),
  openClipboard: (env) => openWindowsClipboard(env),
  shell: (env) => windowsShell(env),
  /** the session panel: a topmost tool window painting panel/render.ts's picture (panel-window.ts) */
  openPanel: (env, opts) => WindowsPanelWindow.open(env, opts),
};
