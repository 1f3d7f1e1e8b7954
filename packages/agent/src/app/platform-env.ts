import path from 'node:path';
import type { PlatformEnv } from '../platform/types.js';
import { embeddedAsset } from '../runtime/assets.js';
import { runnableFromAsset } from '../runtime/executable.js';
import { sessionFolder } from '../runtime/session-folder.js';

/**
 * The environment the platform table sees: the process's own, and in the packaged program
 * FERNHILFE_KOFFI_NATIVE naming koffi's addon, unpacked from the program (Windows: into its session
 * folder, removed at exit, runtime/session-folder.ts; Linux, in a Wayland session only: an
 * in-memory file, for the system's GStreamer). Set from outside (the tests, development), it is kept.
 */
export function platformEnv(env: NodeJS.ProcessEnv = process.env): PlatformEnv {
  if (env.FERNHILFE_KOFFI_NATIVE) return env;
  // Linux needs koffi only on Wayland (platform/wayland/gst.ts): an X11 session unpacks nothing
  if (process.platform === 'linux' && !env.WAYLAND_DISPLAY && env.XDG_SESSION_TYPE !== 'wayland') return env;
  const koffi = runnableFromAsset('koffi.node');
  return koffi ? { ...env, FERNHILFE_KOFFI_NATIVE: koffi } : env;
}

/**
 * Where the log goes: standard error, except in the packaged Windows program, a GUI program with no
 * console, where it is `agent.log` in the session folder (gone with the folder at exit).
 */
export function logFile(): string | undefined {
  return process.platform === 'win32' && embeddedAsset('koffi.node') ? path.join(sessionFolder(), 'agent.log') : undefined;
}
