import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The customer's Downloads folder, as `xdg-user-dir DOWNLOAD` finds it: XDG_DOWNLOAD_DIR in
 * $XDG_CONFIG_HOME/user-dirs.dirs (default ~/.config), "$HOME/..." expanded; else ~/Downloads.
 * On Windows %USERPROFILE%\Downloads (the agent asks the platform first: the known folder may be moved).
 */
export function downloadsFolder(env: NodeJS.ProcessEnv = process.env, home = env.HOME ?? os.homedir()): string {
  if (process.platform === 'win32') return path.join(env.USERPROFILE ?? os.homedir(), 'Downloads');
  const config = env.XDG_CONFIG_HOME || path.join(home, '.config');
  try {
    const text = readFileSync(path.join(config, 'user-dirs.dirs'), 'utf8');
    const m = text.match(/^\s*XDG_DOWNLOAD_DIR\s*=\s*"([^"]*)"/m);
    if (m?.[1]) {
      const dir = m[1].replace(/^\$HOME(?=\/|$)/, home);
      if (path.isAbsolute(dir) && path.resolve(dir) !== path.resolve(home)) return dir;
    }
  } catch {
    // no user-dirs.dirs: the default below
  }
  return path.join(home, 'Downloads');
}
