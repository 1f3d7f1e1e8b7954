import { PlatformError } from './errors.js';
import type { CaptureOptions, DesktopShell, Platform, PlatformEnv, ScreenCapture } from './types.js';
import { wayland } from './wayland/index.js';
import { windows } from './windows/index.js';
import { x11 } from './x11/index.js';

/**
 * The platform table: every desktop the agent can share and control, in the order they are tried at
 * start (Windows first: under wine a Windows process also sees DISPLAY; Wayland before X11: in a Wayland
 * session DISPLAY is XWayland, which shows only X programs). A new platform is a folder beside x11/ that exports a `Platform`, and one line here.
 */
export const platforms = { windows, wayland, x11 } satisfies Record<string, Platform>;

export type PlatformName = keyof typeof platforms;

/**
 * The first platform of the table that can run with `env` (and the display named in `capture`, if
 * any). Throws PlatformError('unavailable') naming what each platform lacks, e.g. "x11: DISPLAY is not set".
 */
export function choosePlatform(env: PlatformEnv = process.env, capture?: CaptureOptions): Platform {
  const why: string[] = [];
  for (const platform of Object.values(platforms)) {
    const missing = platform.available(env, capture);
    if (missing === undefined) return platform;
    why.push(`${platform.name}: ${missing}`);
  }
  throw PlatformError.unavailable(why);
}

/** The screen capture of the platform chosen for `env` (the screen feature's default; the benchmark names its display). */
export async function openScreenCapture(opts: CaptureOptions = {}, env: PlatformEnv = process.env): Promise<ScreenCapture> {
  return choosePlatform(env, opts).openCapture(env, opts);
}

/** The shell of the platform chosen for `env`, where it has one (Windows: default browser, restart elevated); undefined elsewhere. */
export function desktopShell(env: PlatformEnv = process.env): DesktopShell | undefined {
  const platform = Object.values(platforms).find((p: Platform) => p.available(env) === undefined);
  return platform?.shell?.(env);
}
