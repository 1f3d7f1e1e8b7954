import type { KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { AdminPrograms, ProgramBuild, ProgramFailure } from '@fernhilfe/protocol';
import type { AgentDownloads, AgentDownloadStore } from '../agent-download/index.js';
import { keyIdOf, parseSignature, rawPublicKey, verifyAgent } from '../agent-download/signature.js';
import type { Logger } from '../logger.js';
import { runBuild, type BuildRun } from './child.js';
import type { BuildMode } from './decide.js';
import { CODE_SIGNING_CA_FILE, ensureCodeSigning } from './keys.js';
import { missingPrograms, waitForPrograms } from './needs.js';
import { agentVersion, sourcesFingerprint } from './sources.js';

/** What a finished build was made from; a later start reuses it while all of it is the same. */
const manifestSchema = z.strictObject({ version: z.string(), sources: z.string(), serverUrl: z.string().nullable(), keyId: z.string() });
type Manifest = z.infer<typeof manifestSchema>;

/** how often the build looks again for programs it found missing */
const MISSING_RECHECK_MS = 30_000;

type Progress = { state: 'waiting' | 'building' | 'ready' } | { state: 'failed'; failure: ProgramFailure };

export interface ProgramBuildsOptions {
  mode: BuildMode;
  /** auto mode: where the programs go (DATA_DIR/agent-programs) and the key that signs them */
  dir: string | undefined;
  signingKeyFile: string | undefined;
  publicKey: KeyObject | undefined;
  downloads: AgentDownloads;
  /** AUTHENTICODE_CA_FILE: the operator's CA to publish (container nodes, an operator's own certificate) */
  authenticodeCa?: string | undefined;
  log: Logger;
}

/**
 * The first-start build (docs/agent-build.md, "First start"): in auto mode, one program per
 * platform, one after another, each in a niced child process running scripts/build-agent.mjs into
 * a staging folder; a build is offered only after its signature verified with the server's key
 * and it was renamed into place, and the download stores pick it up without a restart. In the
 * other modes it only reports what the operator's configuration offers.
 */
export class ProgramBuilds {
  private readonly progress = new Map<string, Progress>();
  private running: BuildRun | undefined;
  private closed = false;
  /** aborted at close: ends a wait for missing programs */
  private readonly stopping = new AbortController();
  private work: Promise<void> | undefined;
  /** per platform: the server built into it (from the manifest) */
  private readonly serverUrls = new Map<string, string | null>();

  constructor(private readonly opts: ProgramBuildsOptions) {
    for (const store of opts.downloads.stores) this.progress.set(store.platform.platform, { state: 'waiting' });
  }

  /** Starts the builds in the background (auto mode only); returns at once. */
  start(o: { serverUrl: string | undefined; company: () => Promise<string> }): void {
    if (this.opts.mode.kind !== 'auto' || this.work) return;
    this.work = this.buildAll(o).catch((err: unknown) => this.opts.log.error({ err }, 'the QuickSupport program builds stopped'));
  }

  /** Ends a build that is still running (at shutdown) and waits for the builds to stop. */
  async close(): Promise<void> {
    this.closed = true;
    this.stopping.abort();
    this.running?.stop();
    await this.work;
  }

  /**
   * The CA (PEM) of the Authenticode certificate of the Windows program on offer: the operator's
   * (AUTHENTICODE_CA_FILE) where configured, else the server's own once it signed the program with it.
   */
  async codeSigningCa(): Promise<string | undefined> {
    const windows = this.opts.downloads.stores.find((s) => s.platform.os === 'windows');
    if (!windows || !(await windows.current())) return undefined;
    if (this.opts.authenticodeCa) return this.opts.authenticodeCa;
    if (this.opts.mode.kind !== 'auto' || !this.opts.dir) return undefined;
    if ((await this.describe(windows)).authenticode !== 'server-certificate') return undefined;
    return readFile(path.join(this.opts.dir, CODE_SIGNING_CA_FILE), 'utf8').catch(() => undefined);
  }

  /** Resolves when every build has finished (tests; the server never waits for it). */
  async settled(): Promise<void> {
    await this.work;
  }

  async status(): Promise<AdminPrograms> {
    const key = this.opts.mode.kind === 'auto' ? this.opts.publicKey : this.opts.downloads.publicKey;
    const builds = await Promise.all(this.opts.downloads.stores.map((store) => this.describe(store)));
    return {
      mode: this.opts.mode.kind,
      publicKey: key ? Buffer.from(rawPublicKey(key)).toString('base64') : null,
      publicKeyPem: key ? String(key.export({ type: 'spki', format: 'pem' })) : null,
      keyId: key ? keyIdOf(key) : null,
      builds,
    };
  }

  private async describe(store: AgentDownloadStore): Promise<ProgramBuild> {
    const p = store.platform;
    const offered = await store.current();
    const progress: Progress = this.opts.mode.kind === 'auto' ? (this.progress.get(p.platform) ?? { state: 'waiting' }) : { state: 'ready' };
    return {
      platform: p.platform,
      fileName: p.file,
      state: this.opts.mode.kind === 'auto' ? progress.state : 'operator',
      offered: Boolean(offered),
      failure: progress.state === 'failed' ? progress.failure : null,
      size: offered?.size ?? null,
      sha256: offered?.sha256 ?? null,
      keyId: offered?.keyId ?? null,
      version: offered?.version ?? null,
      built: offered?.built ?? null,
      serverUrl: this.serverUrls.get(p.platform) ?? null,
      authenticode: p.platform !== 'win-x64' || !offered ? null : this.opts.mode.kind === 'auto' && !process.env.FERNHILFE_AUTHENTICODE_CERT && !process.env.FERNHILFE_AUTHENTICODE_PKCS12 ? 'server-certificate' : 'operator-certificate',
    };
  }

  private async buildAll(o: { serverUrl: string | undefined; company: () => Promise<string> }): Promise<void> {
    const { dir, publicKey, signingKeyFile, log } = this.opts;
    if (!dir || !publicKey || !signingKeyFile) return;
    await mkdir(dir, { recursive: true });
    const want: Manifest = { version: await agentVersion(), sources: await sourcesFingerprint(), serverUrl: o.serverUrl ?? null, keyId: keyIdOf(publicKey) };
    // Linux first: it builds in a fraction of the Windows time
    const order = [...this.opts.downloads.stores].sort((a, b) => Number(a.platform.os === 'windows') - Number(b.platform.os === 'windows'));
    for (const store of order) {
      if (this.closed) return;
      const platform = store.platform.platform;
      const manifestFile = path.join(dir, `${store.platform.file}.build.json`);
      const had = manifestSchema.safeParse(await readJson(manifestFile));
      if (had.success && sameBuild(had.data, want) && (await store.current())) {
        this.serverUrls.set(platform, want.serverUrl);
        this.progress.set(platform, { state: 'ready' });
        log.info({ platform, version: want.version, sources: want.sources }, `QuickSupport program for ${platform}: the build from an earlier start is current; reused`);
        continue;
      }
      // a missing program (a fresh machine): say which, look again every 30 s, build once it is installed
      const present = await waitForPrograms(() => missingPrograms(platform), {
        everyMs: MISSING_RECHECK_MS,
        signal: this.stopping.signal,
        changed: (missing) => {
          this.progress.set(platform, { state: 'failed', failure: missing });
          log.warn({ platform, reason: missing.detail }, `QuickSupport program for ${platform} NOT built: ${missing.detail}`);
        },
      });
      if (!present) return;
      this.progress.set(platform, { state: 'building' });
      const started = performance.now();
      log.info({ platform, version: want.version, sources: want.sources, serverUrl: want.serverUrl, why: had.success ? 'sources, version, server address or key changed' : 'none built yet' }, `building the QuickSupport program for ${platform} in the background`);
      const result = await this.buildOne(store, dir, signingKeyFile, publicKey, want, o);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      if (result.ok) {
        await writeFile(manifestFile, JSON.stringify(want));
        this.serverUrls.set(platform, want.serverUrl);
        this.progress.set(platform, { state: 'ready' });
        log.info({ platform, seconds }, `QuickSupport program for ${platform} built, signed and verified: offered for download`);
      } else {
        this.progress.set(platform, { state: 'failed', failure: result.failure });
        if (!this.closed) log.warn({ platform, seconds, code: result.failure.code, reason: result.failure.detail }, `QuickSupport program for ${platform} NOT built: ${result.failure.detail}`);
      }
    }
  }

  private async buildOne(store: AgentDownloadStore, dir: string, keyFile: string, publicKey: KeyObject, want: Manifest, o: { company: () => Promise<string> }): Promise<{ ok: true } | { ok: false; failure: ProgramFailure }> {
    const p = store.platform;
    const staging = path.join(dir, `.staging-${p.platform}`);
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
    try {
      const env: Record<string, string> = { FERNHILFE_SIGNING_KEY: keyFile };
      // Windows: the operator's Authenticode certificate when one is configured, else the server's own
      if (p.os === 'windows' && !process.env.FERNHILFE_AUTHENTICODE_CERT && !process.env.FERNHILFE_AUTHENTICODE_PKCS12) {
        try {
          Object.assign(env, (await ensureCodeSigning(dir, await o.company())).env);
        } catch (err) {
          const detail = err instanceof Error ? err.message : String(err);
          return { ok: false, failure: { code: /is not installed/.test(detail) ? 'missing-program' : 'failed', detail: `no code-signing certificate could be made: ${detail}` } };
        }
      }
      const args = ['--platform', p.platform, '--out', staging, ...(want.serverUrl ? ['--server', want.serverUrl] : [])];
      this.running = runBuild(args, env);
      const result = await this.running.done;
      this.running = undefined;
      if (!result.ok) return result;
      // offered only once it verifies with the server's key, and only whole: renamed into place
      const file = path.join(staging, p.file);
      const sigText = await readFile(`${file}.sig`, 'utf8');
      const sig = parseSignature(sigText);
      const check = verifyAgent(await readFile(file), sig, publicKey);
      if (!check.ok || sig.file !== p.file) return { ok: false, failure: { code: 'failed', detail: `the finished program does not verify with the server's key: ${check.ok ? `signed as ${sig.file}` : check.message}` } };
      await rename(file, path.join(dir, p.file));
      await rename(`${file}.sig`, path.join(dir, `${p.file}.sig`));
      if (!(await store.current())) return { ok: false, failure: { code: 'failed', detail: 'the program was built, but the download check refused it (see the server log)' } };
      return { ok: true };
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }
}

function sameBuild(a: Manifest, b: Manifest): boolean {
  return a.version === b.version && a.sources === b.sources && a.serverUrl === b.serverUrl && a.keyId === b.keyId;
}

async function readJson(file: string): Promise<unknown> {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
}
