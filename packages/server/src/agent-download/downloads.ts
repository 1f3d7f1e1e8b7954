import type { KeyObject } from 'node:crypto';
import type { AgentDownload, AgentInfo } from '@fernhilfe/protocol';
import { keyIdOf, rawPublicKey } from './signature.js';
import { AGENT_PLATFORMS, LINUX_BUILD } from './platforms.js';
import { type AgentDownloadOptions, AgentDownloadStore, type Verified } from './store.js';

/**
 * Every platform's signed build in AGENT_DIR (platforms.ts), each checked on its own by an
 * AgentDownloadStore: a Windows build that does not verify withdraws only itself.
 */
export class AgentDownloads {
  readonly stores: readonly AgentDownloadStore[];

  constructor(private readonly opts: Omit<AgentDownloadOptions, 'platform'>) {
    this.stores = AGENT_PLATFORMS.map((platform) => new AgentDownloadStore({ ...opts, platform }));
  }

  /** the key a build must verify with (AGENT_PUBLIC_KEY, or the server's own in the first-start build) */
  get publicKey(): KeyObject | undefined {
    return this.opts.publicKey;
  }

  /** Checks every build on disk now (at start); never throws. */
  async load(): Promise<void> {
    await Promise.all(this.stores.map((s) => s.load()));
  }

  async info(): Promise<AgentInfo> {
    const key = this.opts.publicKey;
    const offered = await Promise.all(this.stores.map(async (store) => ({ store, build: await store.current() })));
    const downloads = offered.flatMap(({ store, build }) => (build ? [describe(store, build)] : []));
    const linux = offered.find((o) => o.store.platform === LINUX_BUILD)?.build;
    return {
      downloads,
      available: Boolean(linux),
      publicKey: key ? Buffer.from(rawPublicKey(key)).toString('base64') : null,
      publicKeyPem: key ? String(key.export({ type: 'spki', format: 'pem' })) : null,
      keyId: key ? keyIdOf(key) : null,
      fileName: linux ? LINUX_BUILD.file : null,
      version: linux?.version ?? null,
      built: linux?.built ?? null,
      size: linux?.size ?? null,
      sha256: linux?.sha256 ?? null,
      downloadUrl: linux ? LINUX_BUILD.downloadUrl : null,
      signatureUrl: linux ? LINUX_BUILD.signatureUrl : null,
    };
  }
}

function describe(store: AgentDownloadStore, build: Verified): AgentDownload {
  const p = store.platform;
  return { platform: p.platform, os: p.os, fileName: p.file, version: build.version, built: build.built, size: build.size, sha256: build.sha256, keyId: build.keyId, downloadUrl: p.downloadUrl, signatureUrl: p.signatureUrl };
}
