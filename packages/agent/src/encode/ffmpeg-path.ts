import { accessSync, constants } from 'node:fs';
import { programPath, ProgramMissingError } from '@fernhilfe/programs';
import { EncodeError } from './errors.js';

/**
 * The ffmpeg binary (with libx264) the agent encodes with: `explicit` or $FERNHILFE_FFMPEG when set
 * (a full path), else the first `ffmpeg` on PATH. Throws a plain-worded EncodeError when there is none.
 */
export function findFfmpeg(env: NodeJS.ProcessEnv = process.env, explicit?: string): string {
  const wanted = explicit ?? env.FERNHILFE_FFMPEG;
  if (wanted && !isExecutable(wanted)) throw EncodeError.missing(`FERNHILFE_FFMPEG points to ${wanted}, which is not an executable file`);
  try {
    return wanted ?? programPath('ffmpeg', { env });
  } catch (error) {
    if (error instanceof ProgramMissingError) throw EncodeError.missing(error.message);
    throw error;
  }
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
