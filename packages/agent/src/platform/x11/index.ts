import type { Platform, PlatformEnv } from '../types.js';
import { X11ScreenCapture } from './capture.js';
import { X11Clipboard } from './clipboard.js';
import { X11Injector } from './injector.js';
import { X11PanelWindow } from './panel-window.js';

const display = (env: PlatformEnv): string | undefined => env.DISPLAY || undefined;

/**
 * Linux/X11 through the pure-JS `x11` package, each backend on an X connection of its own: capture
 * (MIT-SHM, DAMAGE, XFIXES cursor, RandR monitors), input (XTEST with the customer's keyboard
 * mapping), the CLIPBOARD selection. It can run wherever DISPLAY names an X server.
 */
export const x11: Platform = {
  name: 'x11',
  available: (env, capture) => (capture?.display || display(env) ? undefined : 'DISPLAY is not set'),
  openCapture: (env, opts = {}) => X11ScreenCapture.open({ ...opts, display: opts.display || display(env) }),
  openInjector: (env) => X11Injector.open(display(env)),
  openClipboard: (env) => X11Clipboard.open(display(env)),
  openPanel: (env, opts) => X11PanelWindow.open(display(env), { ...opts, env }),
  chosenBecause: (env) => `an X11 session: DISPLAY=${display(env) ?? ''} names the X server`,
};
