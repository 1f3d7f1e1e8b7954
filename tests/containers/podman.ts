import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cacheDir, spawnProgram, type ProgramName } from '@fernhilfe/programs';

/**
 * podman for the container tests, with this machine's three settings (../shared/probes/containers):
 * runc instead of crun (crun refuses hybrid cgroups), cgroupfs, and no default ulimits (they cannot
 * be set here). They live in a containers.conf of the test's own (CONTAINERS_CONF), never in the
 * operator's /etc: podman-compose inherits the variable, so every podman it starts uses them too.
 */
export const CACHE = path.join(cacheDir(), 'containers');

let confFile: string | undefined;
function containersConf(): string {
  if (confFile) return confFile;
  mkdirSync(CACHE, { recursive: true });
  confFile = path.join(CACHE, 'containers.conf');
  writeFileSync(confFile, '[containers]\ndefault_ulimits = []\n\n[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\n');
  return confFile;
}

export function podmanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, CONTAINERS_CONF: containersConf(), ...extra };
}

export interface RunOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end and collects its output; `input` goes to its standard input. */
export function run(program: ProgramName, args: string[], opts: { env?: Record<string, string>; cwd?: string; input?: string | Buffer; timeoutMs?: number } = {}): Promise<RunOutput> {
  return new Promise((resolve, reject) => {
    const child = spawnProgram(program, args, { env: podmanEnv(opts.env), cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 15 * 60_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin!.end(opts.input ?? '');
  });
}

/** Like run, but a non-zero exit rejects with the command and the end of its output. */
export async function runOk(program: ProgramName, args: string[], opts: Parameters<typeof run>[2] = {}): Promise<string> {
  const r = await run(program, args, opts);
  if (r.code !== 0) {
    const tail = (r.stdout + r.stderr).slice(-4000);
    throw new Error(`${program} ${args.join(' ')} exited with ${r.code}:\n${tail}`);
  }
  return r.stdout;
}

export const podman = (args: string[], opts: Parameters<typeof run>[2] = {}) => runOk('podman', args, opts);
