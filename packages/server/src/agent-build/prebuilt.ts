import { createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { execProgram } from '@fernhilfe/programs';
import { FernhilfeError } from '@fernhilfe/protocol';
import { formatSignature, parseSigningKey, signAgent } from '../agent-download/signature.js';

/**
 * "Sign an existing build": the container image carries the QuickSupport programs built unsigned
 * (`scripts/build-agent.mjs --unsigned --server-slot`, one `FILE.prebuilt.json` beside each), and
 * every node signs them at start with the operator's key from a secret (deploy/entrypoint.mjs,
 * docs/containers.md). Each node writes the server's address into the program's slot, signs the
 * Windows program with Authenticode at the build's own time, and makes the Ed25519 `.sig` with the
 * build's release (version and build time): the same image, key and address give the same bytes
 * on every node, so a download and its `.sig` may come from different nodes.
 */
export class PrebuiltError extends FernhilfeError<'no-builds' | 'bad-build' | 'bad-address' | 'bad-key' | 'authenticode'> {
  override readonly name = 'PrebuiltError';
}

const prebuiltSchema = z.strictObject({
  file: z.string().regex(/^fernhilfe-quicksupport[\w.-]*$/),
  platform: z.string(),
  version: z.string(),
  built: z.string().datetime(),
  slot: z.strictObject({ marker: z.string().min(8), length: z.number().int().min(64).max(4096) }),
});

/** The operator's Authenticode certificate (files from secrets); a time-stamp would make every node's bytes differ. */
export type PrebuiltAuthenticode = { cert: string; key: string; passwordFile?: string } | { pkcs12: string; passwordFile?: string };

export interface SignPrebuiltOptions {
  /** the image's unsigned programs (AGENT_PREBUILT_DIR) */
  from: string;
  /** where the signed programs go (AGENT_DIR for the server) */
  to: string;
  /** the operator's Ed25519 signing key (PKCS#8 PEM or a 64-hex-digit seed) */
  keyFile: string;
  /** written into each program's slot (PUBLIC_URL); without it the customer starts the program with --server */
  serverUrl: string | undefined;
  authenticode: PrebuiltAuthenticode | undefined;
}

export interface SignedProgram {
  file: string;
  platform: string;
  authenticode: boolean;
}

export async function signPrebuilt(o: SignPrebuiltOptions): Promise<{ publicKey: KeyObject; programs: SignedProgram[] }> {
  const key = await readKey(o.keyFile);
  const address = o.serverUrl === undefined ? undefined : checkAddress(o.serverUrl);
  const manifests = existsSync(o.from) ? (await readdir(o.from)).filter((n) => n.endsWith('.prebuilt.json')).sort() : [];
  if (manifests.length === 0) throw new PrebuiltError('no-builds', `no unsigned QuickSupport program in ${o.from} (the image was built without them)`);
  await mkdir(o.to, { recursive: true });
  const programs: SignedProgram[] = [];
  for (const name of manifests) {
    const parsed = prebuiltSchema.safeParse(JSON.parse(await readFile(path.join(o.from, name), 'utf8')));
    if (!parsed.success) throw new PrebuiltError('bad-build', `${name} is not a description of an unsigned build: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    const build = parsed.data;
    const bytes = await readFile(path.join(o.from, build.file));
    if (address !== undefined && Buffer.byteLength(address) >= build.slot.length) throw new PrebuiltError('bad-address', `PUBLIC_URL is longer than the ${build.slot.length} bytes the program has room for`);
    const patched = withAddress(bytes, build.slot, address ?? '', build.file);
    const partial = path.join(o.to, `.${build.file}.partial`);
    await writeFile(partial, patched, { mode: 0o644 });
    try {
      const windows = build.file.endsWith('.exe');
      if (windows && o.authenticode) await authenticodeSign(partial, o.authenticode, { url: address, time: Math.floor(Date.parse(build.built) / 1000) });
      const signature = signAgent(await readFile(partial), build.file, key, { version: build.version, built: build.built });
      await writeFile(`${partial}.sig`, formatSignature(signature), { mode: 0o644 });
      await rename(`${partial}.sig`, path.join(o.to, `${build.file}.sig`));
      await rename(partial, path.join(o.to, build.file));
      programs.push({ file: build.file, platform: build.platform, authenticode: windows && Boolean(o.authenticode) });
    } finally {
      await rm(partial, { force: true });
      await rm(`${partial}.sig`, { force: true });
    }
  }
  return { publicKey: createPublicKey(key), programs };
}

async function readKey(file: string): Promise<KeyObject> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new PrebuiltError('bad-key', `cannot read the signing key ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { cause: err });
  }
  try {
    return parseSigningKey(text);
  } catch (err) {
    throw new PrebuiltError('bad-key', `the signing key ${file} is not usable: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** An http(s) origin that fits a JavaScript string literal as it is (no quote, backslash or space). */
function checkAddress(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new PrebuiltError('bad-address', `PUBLIC_URL "${raw}" is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new PrebuiltError('bad-address', `PUBLIC_URL must be https:// (or http://), not ${url.protocol}`);
  const origin = url.origin;
  if (!/^[\x21-\x7e]+$/.test(origin) || /["\\]/.test(origin)) throw new PrebuiltError('bad-address', `PUBLIC_URL "${raw}" holds characters the program cannot carry`);
  return origin;
}

/** The program's bytes with `address` in its slot (padded with spaces to the slot's length). */
function withAddress(bytes: Buffer, slot: { marker: string; length: number }, address: string, file: string): Buffer {
  const marker = Buffer.from(slot.marker);
  const at = bytes.indexOf(marker);
  if (at < 0 || bytes.indexOf(marker, at + 1) >= 0) throw new PrebuiltError('bad-build', `${file} has ${at < 0 ? 'no' : 'more than one'} slot for the server's address`);
  const out = Buffer.from(bytes);
  out.write(address.padEnd(slot.length, ' '), at, slot.length, 'latin1');
  return out;
}

async function authenticodeSign(file: string, a: PrebuiltAuthenticode, o: { url: string | undefined; time: number }): Promise<void> {
  const out = `${file}.signing`;
  const who = 'pkcs12' in a ? ['-pkcs12', a.pkcs12] : ['-certs', a.cert, '-key', a.key];
  const args = ['sign', ...who, ...(a.passwordFile ? ['-readpass', a.passwordFile] : []), '-h', 'sha256', '-n', 'Fernhilfe QuickSupport', ...(o.url ? ['-i', o.url] : [])];
  // the build's time, not now: every node makes the same signature
  args.push('-time', String(o.time), '-in', file, '-out', out);
  try {
    await execProgram('osslsigncode', args);
    await rename(out, file);
  } catch (err) {
    throw new PrebuiltError('authenticode', `the Windows program's Authenticode signature failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  } finally {
    await rm(out, { force: true });
  }
}
