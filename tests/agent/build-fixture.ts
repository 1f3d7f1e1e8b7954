import { execProgramSync, spawnProgram } from '@fernhilfe/programs';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sourcesFingerprint } from '@fernhilfe/server';
import { ROOT } from '../support/processes.js';

export const AGENT_FILE = 'fernhilfe-quicksupport-linux-x64';
export const BUILT_IN_SERVER = 'https://support.example.com';
const BUILD_SCRIPT = path.join(ROOT, 'scripts/build-agent.mjs');

export interface BuiltAgent {
  /** the output directory: the program and its .sig */
  dir: string;
  file: string;
  sig: string;
  /** the operator's signing key (PKCS#8 PEM) and its public half */
  keyFile: string;
  publicPemFile: string;
  publicKeyBase64: string;
  /** what the build printed (from the run that made the cached build) */
  buildOutput: string;
  buildMs: number;
}

/**
 * Everything the build reads (the sources the server's first-start build fingerprints, and the
 * built QuickSupport page), so a cached build is reused only while none of it changed.
 */
async function inputsHash(): Promise<string> {
  const sources = await sourcesFingerprint(['apps/quicksupport/dist']);
  return createHash('sha256').update(process.version).update(process.execPath).update(sources).digest('hex').slice(0, 20);
}

/** The QuickSupport page must be built before the agent can embed it; built here only when missing. */
export function ensurePageBuilt(): void {
  if (existsSync(path.join(ROOT, 'apps/quicksupport/dist/index.html'))) return;
  execProgramSync('npm', ['run', 'build', '--workspace', 'apps/quicksupport', '--silent'], { cwd: ROOT, stdio: 'inherit' });
}

export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs scripts/build-agent.mjs (what `npm run build:agent` runs after building the page). */
export function runBuildScript(args: string[], env: Record<string, string | undefined> = {}): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const fullEnv = { ...process.env, ...env };
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete fullEnv[k];
    const child = spawnProgram({ file: process.execPath }, [BUILD_SCRIPT, ...args], { cwd: ROOT, env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - t0 });
    });
  });
}

/**
 * The signed program, built once for the current sources and cached under the temp directory
 * (the test files that need it share one build; a change to any input makes a new one).
 */
export async function builtAgent(): Promise<BuiltAgent> {
  const built = await cachedBuild('linux', async (work) => ({ args: ['--server', BUILT_IN_SERVER, '--out', work], env: {} }));
  return { ...built, file: path.join(built.dir, AGENT_FILE), sig: path.join(built.dir, `${AGENT_FILE}.sig`) };
}

/**
 * Builds once per `kind` and set of inputs, in a folder of its own holding the operator's Ed25519
 * key (signing-key.pem, .pub.pem, public-key.txt) and whatever `prepare` adds; `prepare` returns the
 * build's arguments and environment.
 */
export async function cachedBuild(
  kind: string,
  prepare: (work: string) => Promise<{ args: string[]; env: Record<string, string> }>,
): Promise<Omit<BuiltAgent, 'file' | 'sig'>> {
  ensurePageBuilt();
  const cacheRoot = path.join(tmpdir(), 'fernhilfe-agent-build-cache');
  const dir = path.join(cacheRoot, `${kind}-${await inputsHash()}`);
  const result = (buildOutput: string, buildMs: number) => ({
    dir,
    keyFile: path.join(dir, 'signing-key.pem'),
    publicPemFile: path.join(dir, 'signing-key.pub.pem'),
    publicKeyBase64: readFileSync(path.join(dir, 'public-key.txt'), 'utf8').trim(),
    buildOutput,
    buildMs,
  });
  const done = path.join(dir, 'build.json');
  if (existsSync(done)) {
    const { output, ms } = JSON.parse(readFileSync(done, 'utf8')) as { output: string; ms: number };
    return result(output, ms);
  }

  // build beside the cache entry, then move it into place in one step (another test file may race us)
  const work = path.join(cacheRoot, `partial-${process.pid}-${Date.now()}`);
  mkdirSync(work, { recursive: true });
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  writeFileSync(path.join(work, 'signing-key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(path.join(work, 'signing-key.pub.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
  writeFileSync(path.join(work, 'public-key.txt'), publicKey.export({ type: 'spki', format: 'der' }).subarray(12).toString('base64'));
  const { args, env } = await prepare(work);
  const run = await runBuildScript(args, { FERNHILFE_SIGNING_KEY: path.join(work, 'signing-key.pem'), ...env });
  if (run.code !== 0) {
    rmSync(work, { recursive: true, force: true });
    throw new Error(`the agent build failed (${run.code}):\n${run.stdout}${run.stderr}`);
  }
  writeFileSync(path.join(work, 'build.json'), JSON.stringify({ output: run.stdout + run.stderr, ms: run.ms }));
  try {
    renameSync(work, dir);
  } catch {
    rmSync(work, { recursive: true, force: true }); // someone else finished first: use theirs
    return cachedBuild(kind, prepare);
  }
  pruneOldBuilds(cacheRoot, dir, `${kind}-`);
  return result(run.stdout + run.stderr, run.ms);
}

/** Each build is ~85 MiB: drop cached builds of older sources (not touched for 10 minutes). */
function pruneOldBuilds(cacheRoot: string, keep: string, prefix: string): void {
  for (const name of readdirSync(cacheRoot)) {
    const full = path.join(cacheRoot, name);
    if (full !== keep && (name.startsWith(prefix) || /^[0-9a-f]{20}$/.test(name)) && Date.now() - statSync(full).mtimeMs > 10 * 60_000) rmSync(full, { recursive: true, force: true });
  }
}
