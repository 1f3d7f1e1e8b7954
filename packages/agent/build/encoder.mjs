// @ts-check
/**
 * Builds fernhilfe-encoder (packages/agent/native/encoder): our small C program linked statically
 * against libx264, for linux-x64 (gcc) and win-x64 (mingw-w64 cross compiler, nasm for x264's
 * assembly), so that no customer needs ffmpeg. x264's source is Debian's source package, fetched
 * with apt-get into private folders (the machine's apt configuration is not touched), its .dsc
 * checked against the sha256 pinned in native/encoder/build.json.
 *
 * The result is cached under `cacheDir()/encoder/<x264 version>-<key>/<target>/`, the key being a
 * hash of the C source and build.json: each build happens in a temporary folder and is renamed into
 * place, so parallel test files may ask at once (the loser of a race uses the winner's).
 *
 * `node packages/agent/build/encoder.mjs [linux-x64|win-x64]…` (`npm run build:encoder`) builds both.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir, execProgramSync } from '@fernhilfe/programs';
import { AgentBuildError } from './errors.mjs';

const NATIVE = fileURLToPath(new URL('../native/encoder/', import.meta.url));
const SOURCE = path.join(NATIVE, 'fernhilfe-encoder.c');
const SETTINGS = path.join(NATIVE, 'build.json');

/** @typedef {'linux-x64' | 'win-x64'} EncoderTarget */
/** @typedef {{ configure: string[], cc: 'gcc' | 'x86_64-w64-mingw32-gcc', file: string, libs: string[] }} TargetSettings */
/**
 * @typedef {{ x264: { package: string, version: string, debianVersion: string, dsc: string, dscSha256: string, suite: string },
 *   configure: string[], targets: Record<EncoderTarget, TargetSettings>, cflags: string[] }} BuildSettings
 */

/** @returns {BuildSettings} */
function settings() {
  return JSON.parse(readFileSync(SETTINGS, 'utf8'));
}

export const ENCODER_TARGETS = /** @type {const} */ (['linux-x64', 'win-x64']);

/**
 * The cache folder name of this source: `<x264 version>-<first 16 hex digits of sha256(C source, build.json)>`.
 * The agent computes the same (packages/agent/src/encode/encoder-path.ts) to find a build made here.
 */
export function encoderBuildKey() {
  const hash = createHash('sha256').update(readFileSync(SOURCE)).update(readFileSync(SETTINGS)).digest('hex').slice(0, 16);
  return `${settings().x264.version}-${hash}`;
}

/**
 * Where the encoder for `target` is (or will be) cached; nothing is built.
 * @param {EncoderTarget} target
 * @param {NodeJS.ProcessEnv} [env]
 */
export function encoderCachePath(target, env = process.env) {
  const t = settings().targets[target];
  if (!t) throw new AgentBuildError('unknown-target', `no encoder target ${target}; the targets are ${ENCODER_TARGETS.join(', ')}`);
  return path.join(cacheDir(env), 'encoder', encoderBuildKey(), target, t.file);
}

/**
 * The path of the built encoder for `target`, building it (and x264) when the cache lacks it.
 * @param {EncoderTarget} target
 * @param {{ env?: NodeJS.ProcessEnv, log?: (line: string) => void }} [opts]
 * @returns {Promise<string>}
 */
export async function encoderBinary(target, opts = {}) {
  const env = opts.env ?? process.env;
  const file = encoderCachePath(target, env);
  if (existsSync(file)) return file;
  const log = opts.log ?? ((line) => process.stderr.write(line + '\n'));
  const started = performance.now();
  const s = settings();
  const t = s.targets[target];
  const root = path.dirname(path.dirname(file));
  mkdirSync(root, { recursive: true });
  const work = mkdtempSync(path.join(root, `.build-${target}-`));
  try {
    log(`building the encoder for ${target} (x264 ${s.x264.version} from Debian's source; a few minutes, once)`);
    const src = fetchX264Source(s, work, env);
    const cross = target === 'win-x64' ? { AS: 'nasm' } : {};
    execProgramSync('bash', ['./configure', ...s.configure, ...t.configure, `--prefix=${path.join(work, 'prefix')}`], { cwd: src, env: { ...env, ...cross }, stdio: 'pipe' });
    execProgramSync('make', ['-j2', 'lib-static'], { cwd: src, env, stdio: 'pipe' });
    const out = path.join(work, target);
    mkdirSync(out);
    execProgramSync(t.cc, [...s.cflags, `-I${src}`, '-o', path.join(out, t.file), SOURCE, path.join(src, 'libx264.a'), ...t.libs], { env, stdio: 'pipe' });
    writeFileSync(path.join(out, 'BUILD.txt'), `fernhilfe-encoder for ${target}\nx264 ${s.x264.debianVersion} (Debian ${s.x264.suite}, ${s.x264.dsc} sha256 ${s.x264.dscSha256})\nkey ${encoderBuildKey()}\n`);
    try {
      renameSync(out, path.dirname(file));
    } catch (error) {
      if (!existsSync(file)) throw error;
    }
    log(`built the encoder for ${target} in ${((performance.now() - started) / 1000).toFixed(1)} s: ${file}`);
    return file;
  } catch (error) {
    if (error instanceof AgentBuildError) throw error;
    // a compiler's complaint, else what went wrong (e.g. a program that is not installed, and its Debian package)
    const detail = /** @type {{ stderr?: string | Buffer }} */ (error).stderr?.toString().trim().split('\n').slice(-15).join('\n') || (error instanceof Error ? error.message : undefined);
    throw new AgentBuildError('encoder-build-failed', `building the encoder for ${target} failed${detail ? `:\n${detail}` : ''}`, { cause: error });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * `apt-get source --download-only x264` with a private sources list (deb-src for the machine's
 * Debian mirror), private lists and cache folders; checks the .dsc's sha256, unpacks with dpkg-source
 * (which checks the tarballs against the .dsc and applies Debian's patches). Returns the source folder.
 * @param {BuildSettings} s
 * @param {string} work
 * @param {NodeJS.ProcessEnv} env
 */
function fetchX264Source(s, work, env) {
  const apt = path.join(work, 'apt');
  for (const dir of ['sources.list.d', 'lists/partial', 'cache/archives/partial', 'download']) mkdirSync(path.join(apt, dir), { recursive: true });
  writeFileSync(
    path.join(apt, 'sources.list.d', 'fernhilfe-src.sources'),
    `Types: deb-src\nURIs: ${debianMirror()}\nSuites: ${s.x264.suite}\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n`,
  );
  const options = [
    ...['-o', 'Dir::Etc::SourceList=/dev/null', '-o', `Dir::Etc::SourceParts=${path.join(apt, 'sources.list.d')}`],
    ...['-o', `Dir::State::Lists=${path.join(apt, 'lists')}`, '-o', `Dir::Cache=${path.join(apt, 'cache')}`],
    ...['-o', 'Dir::Cache::pkgcache=', '-o', 'Dir::Cache::srcpkgcache=', '-o', 'Debug::NoLocking=1', '-o', 'APT::Sandbox::User=root', '-qq'],
  ];
  const download = path.join(apt, 'download');
  execProgramSync('apt-get', [...options, 'update'], { env, stdio: 'pipe' });
  execProgramSync('apt-get', [...options, 'source', '--download-only', `${s.x264.package}=${s.x264.debianVersion}`], { cwd: download, env, stdio: 'pipe' });
  const dsc = path.join(download, s.x264.dsc);
  if (!existsSync(dsc)) throw new AgentBuildError('encoder-source-mismatch', `apt-get did not download ${s.x264.dsc} (got ${readdirSync(download).join(', ')})`);
  const sha = createHash('sha256').update(readFileSync(dsc)).digest('hex');
  if (sha !== s.x264.dscSha256) {
    throw new AgentBuildError('encoder-source-mismatch', `${s.x264.dsc} from the Debian mirror has sha256 ${sha}, not the pinned ${s.x264.dscSha256}; refusing to build from it`);
  }
  const src = path.join(work, 'x264');
  execProgramSync('dpkg-source', ['--require-strong-checksums', '-x', dsc, src], { cwd: download, env, stdio: 'pipe' });
  return src;
}

/**
 * The URI of the machine's Debian mirror (the first deb entry of debian.sources; else of the
 * one-line sources.list, which a debootstrap root has), else deb.debian.org.
 */
function debianMirror() {
  const read = (/** @type {string} */ file) => (existsSync(file) ? readFileSync(file, 'utf8') : '');
  const uris = [...read('/etc/apt/sources.list.d/debian.sources').matchAll(/^URIs:\s*(\S+)/gm)].map((m) => m[1] ?? '');
  uris.push(...[...read('/etc/apt/sources.list').matchAll(/^deb\s+(?:\[[^\]]*\]\s+)?(\S+)/gm)].map((m) => m[1] ?? ''));
  return uris.find((u) => u !== '' && !u.includes('security')) ?? 'http://deb.debian.org/debian';
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const wanted = process.argv.slice(2);
  const targets = wanted.length > 0 ? wanted : ENCODER_TARGETS;
  for (const target of targets) {
    if (!ENCODER_TARGETS.includes(/** @type {EncoderTarget} */ (target))) {
      process.stderr.write(`unknown target ${target}; the targets are ${ENCODER_TARGETS.join(', ')}\n`);
      process.exit(2);
    }
    process.stdout.write(`${await encoderBinary(/** @type {EncoderTarget} */ (target))}\n`);
  }
}
