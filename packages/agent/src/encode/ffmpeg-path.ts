import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { EncodeError } from './errors.js';

/**
 * The ffmpeg binary (with libx264) the agent encodes with: $FERNHILFE_FFMPEG when set (a full path),
 * else the first `ffmpeg` on PATH. Throws a plain-worded EncodeError when there is none.
 */
export function findFfmpeg(env: NodeJS.ProcessEnv = process.env, explicit?: string): string {
  const wanted = explicit ?? env.FERNHILFE_FFMPEG;
  if (wanted) {
    if (isExecutable(wanted)) return wanted;
    throw EncodeError.missing(`FERNHILFE_FFMPEG points to ${wanted}, which is not an executable file`);
  }
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, 'ffmpeg');
    if (isExecutable(candidate)) return candidate;
  }
  throw EncodeError.missing('ffmpeg was not found: install it (Debian/Ubuntu: apt install ffmpeg) or set FERNHILFE_FFMPEG to its path');
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
