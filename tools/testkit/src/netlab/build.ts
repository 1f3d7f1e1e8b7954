import { cacheDir, execProgramSync } from '@fernhilfe/programs';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestkitError } from '../errors.js';

/** The link emulator's C source (tools/testkit/native/netlab); the same path from src/ and dist/. */
const SOURCE = fileURLToPath(new URL('../../native/netlab/fernhilfe-netlab.c', import.meta.url));
const CFLAGS = ['-O2', '-Wall', '-Wextra', '-std=gnu11'];

/**
 * The path of the built link emulator, compiling it with gcc on first use. Cached under
 * `cacheDir()/netlab/<first 16 hex digits of sha256(source, flags)>/`; each build happens in a
 * temporary folder and is renamed into place, so parallel callers may ask at once.
 */
export function netlabBinary(env: NodeJS.ProcessEnv = process.env): string {
  const key = createHash('sha256').update(readFileSync(SOURCE)).update(CFLAGS.join(' ')).digest('hex').slice(0, 16);
  const dir = path.join(cacheDir(env), 'netlab', key);
  const file = path.join(dir, 'fernhilfe-netlab');
  if (existsSync(file)) return file;
  mkdirSync(path.dirname(dir), { recursive: true });
  const work = mkdtempSync(path.join(path.dirname(dir), '.build-'));
  try {
    execProgramSync('gcc', [...CFLAGS, '-o', path.join(work, 'fernhilfe-netlab'), SOURCE], { env, stdio: 'pipe' });
    try {
      renameSync(work, dir);
    } catch (error) {
      if (!existsSync(file)) throw error;
    }
    return file;
  } catch (error) {
    const detail = (error as { stderr?: string | Buffer }).stderr?.toString().trim();
    throw new TestkitError('network', `building the link emulator failed${detail ? `:\n${detail}` : ''}`, { cause: error });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
