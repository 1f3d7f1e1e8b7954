import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { KeyObject } from 'node:crypto';
import type { Logger } from '../logger.js';
import type { AgentInfo } from './info.js';
import { keyIdOf, parseSignature, publicKeyFromRaw, rawPublicKey, SignatureError, verifyAgent } from './signature.js';

/** The file name of the Linux build, in AGENT_DIR and as offered for download. */
export const AGENT_FILE = 'fernhilfe-quicksupport-linux-x64';

/** A build that verified: the file as it was when it verified (size, mtime, inode) and its signature. */
interface Verified {
  file: string;
  size: number;
  sha256: string;
  signatureText: string;
  stamp: string;
}

export interface AgentDownloadOptions {
  /** directory holding the signed build; undefined = no download offered */
  dir: string | undefined;
  /** the operator's public key; without it the key named in the signature file is published */
  publicKey: KeyObject | undefined;
  log: Logger;
}

type State = { kind: 'none' } | { kind: 'refused' } | { kind: 'offered'; build: Verified };

/**
 * Offers the signed agent build from AGENT_DIR, but only a build whose signature verifies. It is
 * checked at start and again whenever the file on disk changes (size, mtime or inode), so a
 * rebuilt or replaced file is never served unchecked.
 */
export class AgentDownloadStore {
  private state: State = { kind: 'none' };
  private key: KeyObject | undefined;
  private checking: Promise<void> | undefined;
  /** the stamp of the last check, so that a refused or missing build is not read again until it changes */
  private lastStamp: string | undefined;

  constructor(private readonly opts: AgentDownloadOptions) {
    this.key = opts.publicKey;
  }

  get filePath(): string | undefined {
    return this.opts.dir ? path.join(this.opts.dir, AGENT_FILE) : undefined;
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

  async info(): Promise<AgentInfo> {
    const build = await this.current();
    const key = this.key;
    return {
      available: Boolean(build),
      publicKey: key ? Buffer.from(rawPublicKey(key)).toString('base64') : null,
      publicKeyPem: key ? String(key.export({ type: 'spki', format: 'pem' })) : null,
      keyId: key ? keyIdOf(key) : null,
      fileName: build ? AGENT_FILE : null,
      size: build?.size ?? null,
      sha256: build?.sha256 ?? null,
      downloadUrl: build ? '/download/agent' : null,
      signatureUrl: build ? '/download/agent.sig' : null,
    };
  }

  private async check(): Promise<void> {
    const file = this.filePath;
    const log = this.opts.log;
    if (!file) return;
    // taken before reading: if the files change while they are read, the next request sees a new stamp
    const stamp = await buildStamp(file);
    this.lastStamp = stamp;
    if (stamp.startsWith('missing')) {
      if (this.state.kind !== 'none') log.warn({ file }, 'agent download withdrawn: the file is gone');
      else log.info({ dir: this.opts.dir }, 'no agent build in AGENT_DIR: the QuickSupport page offers no download (build one with `npm run build:agent`)');
      this.state = { kind: 'none' };
      return;
    }
    try {
      const [bytes, signatureText] = await Promise.all([readFile(file), readFile(`${file}.sig`, 'utf8')]);
      const sig = parseSignature(signatureText);
      const trusted = this.opts.publicKey ?? publicKeyFromRaw(sig.publicKey);
      const result = verifyAgent(bytes, sig, trusted);
      if (!result.ok) throw new SignatureError(result.reason, result.message);
      this.key = trusted;
      this.state = { kind: 'offered', build: { file, size: bytes.length, sha256: sig.sha256, signatureText, stamp } };
      log.info({ file, size: bytes.length, keyId: result.keyId }, 'agent build verified: offered for download');
    } catch (err) {
      const reason = err instanceof SignatureError ? err.message : (err as NodeJS.ErrnoException).code === 'ENOENT' ? `the signature file ${file}.sig is missing` : String(err);
      log.warn({ file, reason }, `agent build NOT offered for download: its signature does not verify (${reason}). Sign it again with \`npm run build:agent\` and the operator's key.`);
      this.state = { kind: 'refused' };
    }
  }
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
