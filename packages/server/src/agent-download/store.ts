import { createHash, type KeyObject } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import { type BuildRelease, compareReleases, mismatch, parseSignature, SignatureError, verifyStatement } from './signature.js';
import { LINUX_BUILD, type PlatformBuild } from './platforms.js';
import { verifiedStream } from './verified-stream.js';

/** A build that verified: the file as it was when it verified (size, mtime, inode) and its signature. */
export interface Verified extends BuildRelease {
  file: string;
  size: number;
  sha256: string;
  signatureText: string;
  stamp: string;
  /** the operator's key that signed it */
  keyId: string;
}

/** Where the newest release this server ever offered is remembered (the settings table), so it never goes back. */
export interface ReleaseMemory {
  get(key: string): Promise<unknown>;
  set(key: string, value: { version: string; built: string }): Promise<void>;
}
const releaseSchema = z.object({ version: z.string(), built: z.string() });

export interface AgentDownloadOptions {
  /** directory holding the signed build; undefined = no download offered */
  dir: string | undefined;
  /** AGENT_PUBLIC_KEY, the operator's public key; without it nothing is offered */
  publicKey: KeyObject | undefined;
  /** remembers the newest release offered; without it a rollback is not detected across restarts */
  releases?: ReleaseMemory;
  log: Logger;
  /** which platform's build this store offers (default: Linux) */
  platform?: PlatformBuild;
  /** true when the server builds the programs itself (agent-build/): a missing one is not the operator's to build */
  builtHere?: boolean;
}

type State = { kind: 'none' } | { kind: 'refused' } | { kind: 'offered'; build: Verified };

/**
 * Offers one platform's signed agent build from AGENT_DIR (agent-downloads.ts holds one per platform), but only a build whose signature verifies with
 * AGENT_PUBLIC_KEY and that is not older than the newest one this server offered before. It is
 * checked at start and again whenever the file on disk changes (size, mtime or inode); the bytes
 * served are hashed on the way out and the download is cut off before its last chunk if they are
 * not the verified ones (`verified-stream.ts`).
 */
export class AgentDownloadStore {
  private state: State = { kind: 'none' };
  private checking: Promise<void> | undefined;
  /** the stamp of the last check, so that a refused or missing build is not read again until it changes */
  private lastStamp: string | undefined;

  readonly platform: PlatformBuild;

  constructor(private readonly opts: AgentDownloadOptions) {
    this.platform = opts.platform ?? LINUX_BUILD;
  }

  get filePath(): string | undefined {
    return this.opts.dir ? path.join(this.opts.dir, this.platform.file) : undefined;
  }

  /** Checks the build on disk now (at start). Never throws: a build that does not verify is logged and not offered. */
  async load(): Promise<void> {
    this.checking ??= this.check().finally(() => (this.checking = undefined));
    return this.checking;
  }

  /** The verified build, re-checked first if the file changed since; undefined if none is offered. */
  async current(): Promise<Verified | undefined> {
    const file = this.filePath;
    if (!file) return undefined;
    const stamp = await buildStamp(file);
    if (this.state.kind === 'offered' && this.state.build.stamp === stamp) return this.state.build;
    if (this.state.kind !== 'offered' && stamp === this.lastStamp) return undefined;
    await this.load();
    return this.state.kind === 'offered' ? this.state.build : undefined;
  }

  /** The verified bytes of `build` as a stream that fails (cutting the download short) if the file on disk differs. */
  open(build: Verified): NodeJS.ReadableStream {
    return verifiedStream(createReadStream(build.file), build, (why) => {
      this.opts.log.error({ file: build.file, reason: why }, `agent download cut off: the file on disk is no longer the verified build (${why}); withdrawn until it verifies again`);
      if (this.state.kind === 'offered' && this.state.build === build) this.state = { kind: 'refused' };
      this.lastStamp = undefined; // check it again on the next request
    });
  }

  private async check(): Promise<void> {
    const file = this.filePath;
    const log = this.opts.log;
    if (!file) return;
    // taken before reading: if the files change while they are read, the next request sees a new stamp
    const stamp = await buildStamp(file);
    this.lastStamp = stamp;
    if (stamp.startsWith('missing|')) {
      if (this.state.kind !== 'none') log.warn({ file }, 'agent download withdrawn: the file is gone');
      else if (this.opts.builtHere) log.info({ dir: this.opts.dir, platform: this.platform.platform }, `no ${this.platform.platform} QuickSupport program built yet: offered once the server has built it`);
      else log.info({ dir: this.opts.dir, platform: this.platform.platform }, `no ${this.platform.platform} agent build in AGENT_DIR: the QuickSupport page offers none for it (build one with \`npm run build:agent -- --platform ${this.platform.platform}\`)`);
      this.state = { kind: 'none' };
      return;
    }
    try {
      const trusted = this.opts.publicKey;
      if (!trusted) throw new SignatureError('wrong-key', 'AGENT_PUBLIC_KEY is not set, and the key named inside the signature file is never trusted; set AGENT_PUBLIC_KEY to the public key of your signing key');
      const signatureText = await readFile(`${file}.sig`, 'utf8');
      const sig = parseSignature(signatureText);
      if (sig.file !== this.platform.file) throw new SignatureError('bad-signature', `the signature is for a file named ${sig.file}, not ${this.platform.file}`);
      const result = verifyStatement(sig, trusted);
      if (!result.ok) throw new SignatureError(result.reason, result.message);
      const { size, sha256 } = await hashFile(file);
      const why = mismatch(sig, size, sha256);
      if (why) throw new SignatureError('bad-signature', `the file is not the one that was signed: ${why}`);
      await this.checkNotOlder(sig);
      this.state = { kind: 'offered', build: { file, size, sha256, version: sig.version, built: sig.built, signatureText, stamp, keyId: result.keyId } };
      log.info({ file, size, keyId: result.keyId, version: sig.version, built: sig.built }, 'agent build verified: offered for download');
    } catch (err) {
      const reason = err instanceof SignatureError ? err.message : (err as NodeJS.ErrnoException).code === 'ENOENT' ? `the signature file ${file}.sig is missing` : String(err);
      log.warn({ file, reason }, `agent build NOT offered for download: its signature does not verify (${reason}). Sign it again with \`npm run build:agent\` and the operator's key.`);
      this.state = { kind: 'refused' };
    }
  }

  /** Refuses a release older than the newest one offered before; remembers a newer one. */
  private async checkNotOlder(release: BuildRelease): Promise<void> {
    const memory = this.opts.releases;
    if (!memory) return;
    const key = this.platform.newestKey;
    const stored = releaseSchema.safeParse(await memory.get(key));
    if (stored.success && compareReleases(release, stored.data) < 0) {
      throw new SignatureError(
        'bad-signature',
        `it is version ${release.version} built ${release.built}, older than version ${stored.data.version} built ${stored.data.built} that this server offered before: a rollback`,
      );
    }
    if (!stored.success || compareReleases(release, stored.data) > 0) await memory.set(key, { version: release.version, built: release.built });
  }
}

async function hashFile(file: string): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, sha256: hash.digest('hex') };
}

/** Changes whenever the build or its signature file is replaced or rewritten. */
async function buildStamp(file: string): Promise<string> {
  return `${await stampOf(file)}|${await stampOf(`${file}.sig`)}`;
}

async function stampOf(file: string): Promise<string> {
  try {
    const s = await stat(file);
    return `${s.size}:${s.mtimeMs}:${s.ino}`;
  } catch {
    return 'missing';
  }
}
