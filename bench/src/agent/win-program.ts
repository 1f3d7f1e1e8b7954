import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { execProgramSync, spawnProgramSync } from '@fernhilfe/programs';
import { BenchError } from '../errors.js';
import { ROOT } from '../paths.js';

/** The built Windows program: its size and its start-up under wine. */
export interface WinProgram {
  file: string;
  bytes: number;
  /** measureStartup()'s line (packages/agent/build/measure.mjs): `--help` under wine, start to exit, beside node.exe --version */
  startup: string;
  /** the build came from the bench's cache (the sources it was made from are unchanged) */
  cached: boolean;
}

/** What the build reads: a cached program is reused while the committed trees are the same and none has uncommitted changes. */
const INPUTS = ['packages/agent', 'packages/client/src', 'packages/protocol/src', 'packages/server/src/agent-download', 'packages/programs/src', 'apps/quicksupport/src', 'scripts/build-agent.mjs'];

function inputsKey(): string | undefined {
  const git = (args: string[]) => String(execProgramSync('git', args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })).trim();
  if (git(['status', '--porcelain', '--', ...INPUTS])) return undefined;
  return git(['rev-parse', ...INPUTS.map((p) => `HEAD:${p}`)])
    .split('\n')
    .map((id) => id.slice(0, 8))
    .join('');
}

/**
 * `npm run build:agent -- --platform win-x64 --unsigned` into a cache under the temp folder (one
 * build per set of sources: a Windows build takes 0.5–4 min here), then its size and
 * measureStartup(), the build's own `--measure`, which starts it under wine on a desktop of its own.
 * Unsigned: the Authenticode signature adds a few KiB, and the bench needs no operator's keys.
 */
export async function measureWindowsProgram(): Promise<WinProgram> {
  const key = inputsKey();
  const cacheRoot = path.join(tmpdir(), 'fernhilfe-bench-win-program');
  const dir = path.join(cacheRoot, key ?? `uncommitted-${process.pid}`);
  const file = path.join(dir, 'fernhilfe-quicksupport.exe');
  const cached = key !== undefined && existsSync(file);
  if (!cached) {
    const work = `${dir}.partial-${process.pid}`;
    mkdirSync(work, { recursive: true });
    const run = spawnProgramSync({ file: process.execPath }, [path.join(ROOT, 'scripts/build-agent.mjs'), '--platform', 'win-x64', '--unsigned', '--out', work], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    if (run.status !== 0) {
      rmSync(work, { recursive: true, force: true });
      throw new BenchError('process', `the Windows program did not build (${run.status ?? run.signal}): ${String(run.stderr).slice(-2000)}`);
    }
    rmSync(dir, { recursive: true, force: true });
    renameSync(work, dir);
    writeFileSync(path.join(dir, 'build.log'), String(run.stdout));
  }
  const measure = (await import(pathToFileURL(path.join(ROOT, 'packages/agent/build/measure.mjs')).href)) as { measureStartup(file: string, target: { windows: boolean }): Promise<string> };
  const startup = await measureStartup(measure, file);
  const result = { file, bytes: statSync(file).size, startup, cached };
  if (!key) rmSync(dir, { recursive: true, force: true });
  return result;
}

async function measureStartup(measure: { measureStartup(file: string, target: { windows: boolean }): Promise<string> }, file: string): Promise<string> {
  const line = await measure.measureStartup(file, { windows: true });
  if (!/under wine/.test(line)) throw new BenchError('process', `the Windows program's start-up was not measured: ${line} (${readFileSync(path.join(path.dirname(file), 'build.log'), 'utf8').slice(-500)})`);
  return line;
}
