import type { KeyObject } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApiClient, ApiError, FernhilfeError, type AgentInfo } from '@fernhilfe/protocol';
import { isPeFile, verifyAuthenticode, type AuthenticodeResult } from './authenticode.js';
import { compareReleases, keyIdOf, parsePublicKey, parseSignature, SignatureError, verifyAgent } from '@fernhilfe/server/agent-download/public';

/** `fernhilfe verify` exit codes (docs/agent-build.md). */
export const VerifyExit = {
  /** the file is exactly what the trusted key signed */
  ok: 0,
  /** the file was changed, or signed by someone else: do not run it */
  invalid: 1,
  /** nothing was checked: a file, the signature or the key is missing or unreadable, or the options are wrong */
  cannotCheck: 2,
  /** nothing was checked: the server's public key could not be fetched */
  serverUnreachable: 3,
} as const;

export interface VerifyOptions {
  file: string;
  /** default: FILE.sig */
  sig?: string;
  /** the trusted public key (PEM, hex or base64), or a file holding it */
  key?: string;
  /** fetch the trusted public key from this server's /api/agent/info */
  server?: string;
  /** Windows programs: the CA (PEM) that issued the operator's code-signing certificate; default: the CAs this system trusts */
  ca?: string;
  out: (line: string) => void;
}

/** Nothing was checked; `code` is the exit code (cannotCheck, or serverUnreachable when the key could not be fetched). */
class CannotCheck extends FernhilfeError<'cannot-check' | 'server-unreachable'> {
  override readonly name = 'CannotCheck';
  constructor(
    detail: string,
    readonly code: number = VerifyExit.cannotCheck,
    options: { cause?: unknown } = {},
  ) {
    super(code === VerifyExit.serverUnreachable ? 'server-unreachable' : 'cannot-check', detail, options);
  }
}

/** Checks a downloaded QuickSupport program against its detached signature; returns the exit code. */
export async function verifyCommand(o: VerifyOptions): Promise<number> {
  try {
    if (Boolean(o.key) === Boolean(o.server)) {
      throw new CannotCheck('say which key to trust: --key PUBLIC-KEY (from your support company) or --server URL (the key that server publishes), one of them.');
    }
    const bytes = readOrFail(o.file, 'the file to check');
    if (o.ca && !existsSync(o.ca)) throw new CannotCheck(`the CA certificate ${o.ca} (--ca) does not exist.`);
    const sigPath = o.sig ?? `${o.file}.sig`;
    const sig = parseSignature(readOrFail(sigPath, 'the signature file').toString('utf8'));
    const server = o.server ? await infoFromServer(o.server, o.out) : undefined;
    const trusted = o.key ? keyFromOption(o.key) : server!.key;
    const result = verifyAgent(bytes, sig, trusted);
    const name = path.basename(o.file);
    // a Windows program also carries the operator's Authenticode signature: both must hold
    const windows = isPeFile(o.file) ? await checkAuthenticode(o.file, o.ca, server?.origin, o.out) : undefined;
    // the release the server offers now for this file's platform
    const offered = server?.info.downloads.find((d) => d.platform === (windows ? 'win-x64' : 'linux-x64'));
    const rolledBack = result.ok && server && offered && compareReleases(sig, offered) < 0;
    if (!result.ok) o.out(`NOT VALID: ${name}: ${result.message}.`);
    else if (rolledBack) o.out(`NOT VALID: ${name} is version ${sig.version} built ${sig.built}, older than version ${offered.version} built ${offered.built} that ${server.origin} offers: an old build, perhaps rolled back.`);
    else o.out(`OK: ${name} is exactly the file signed with the key ${result.keyId} (version ${sig.version}, built ${sig.built}, SHA-256 ${sig.sha256}).`);
    if (windows) {
      if (windows.ok) o.out(`OK: its Windows signature (Authenticode) is valid: signed by ${windows.signer}, issued by ${windows.issuer}.`);
      else o.out(`${windows.reason === 'cannot-check' ? 'CANNOT CHECK' : 'NOT VALID'}: its Windows signature (Authenticode): ${windows.message}.`);
      const state = (ok: boolean, cannot = false) => (ok ? 'OK' : cannot ? 'NOT CHECKED' : 'FAILED');
      o.out(`Checks: Ed25519 signature (${path.basename(sigPath)}) ${state(result.ok && !rolledBack)}; Authenticode signature ${state(windows.ok, !windows.ok && windows.reason === 'cannot-check')}.`);
    }
    if (!result.ok || rolledBack || (windows && !windows.ok && windows.reason !== 'cannot-check')) {
      o.out(
        rolledBack
          ? 'Do not run this file. / Diese Datei nicht ausführen: sie ist eine ältere Version als die angebotene.'
          : result.ok
            ? 'Do not run this file. / Diese Datei nicht ausführen: ihre Windows-Signatur (Authenticode) ist nicht gültig.'
            : 'Do not run this file. / Diese Datei nicht ausführen: sie ist nicht die signierte Datei.',
      );
      return VerifyExit.invalid;
    }
    if (windows && !windows.ok) return VerifyExit.cannotCheck;
    o.out('OK: Die Datei ist unverändert und mit dem vertrauten Schlüssel signiert.');
    return VerifyExit.ok;
  } catch (err) {
    if (err instanceof CannotCheck) {
      o.out(`CANNOT CHECK: ${err.message}`);
      return err.code;
    }
    if (err instanceof SignatureError) {
      o.out(`CANNOT CHECK: ${err.message}`);
      return VerifyExit.cannotCheck;
    }
    throw err;
  }
}

function readOrFail(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CannotCheck(code === 'ENOENT' ? `${what} ${file} does not exist.` : `${what} ${file} cannot be read (${code ?? 'error'}).`, VerifyExit.cannotCheck, { cause: err });
  }
}

function keyFromOption(value: string): KeyObject {
  const text = existsSync(value) ? readOrFail(value, 'the key file').toString('utf8') : value;
  return parsePublicKey(text);
}

/**
 * The Authenticode check of a Windows program: against `--ca`, else (with --server) against the CA
 * the server publishes at /download/authenticode-ca.pem (the one it made itself when it built the
 * program at its first start, docs/agent-build.md "First start", or the operator's AUTHENTICODE_CA_FILE),
 * else against the CAs this system trusts.
 */
async function checkAuthenticode(file: string, ca: string | undefined, origin: string | undefined, out: (line: string) => void): Promise<AuthenticodeResult> {
  if (ca || !origin) return verifyAuthenticode(file, ca);
  let pem: string | undefined;
  try {
    const res = await fetch(`${origin}/download/authenticode-ca.pem`, { signal: AbortSignal.timeout(15_000) });
    const text = res.ok ? await res.text() : '';
    if (text.startsWith('-----BEGIN CERTIFICATE-----')) pem = text;
  } catch {
    // no such CA published: the CAs this system trusts
  }
  if (!pem) return verifyAuthenticode(file);
  const dir = mkdtempSync(path.join(tmpdir(), 'fernhilfe-verify-'));
  try {
    writeFileSync(path.join(dir, 'ca.pem'), pem);
    out(`Checking its Windows signature against the CA ${origin} publishes for it (${origin}/download/authenticode-ca.pem).`);
    return verifyAuthenticode(file, path.join(dir, 'ca.pem'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The server's /api/agent/info: the key it publishes and the release it offers. */
async function infoFromServer(server: string, out: (line: string) => void): Promise<{ key: KeyObject; info: AgentInfo; origin: string }> {
  let url: URL;
  try {
    url = new URL('/api/agent/info', server);
  } catch {
    throw new CannotCheck(`"${server}" is not a server address (e.g. https://support.example.com).`);
  }
  if (url.protocol !== 'https:' && !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    out(`WARNING: ${url.origin} is not HTTPS: someone on the network could have swapped the key. Prefer --key or an https:// address.`);
  }
  let info: AgentInfo;
  try {
    info = await new ApiClient(url.origin, { timeoutMs: 15_000 }).call('agentInfo');
  } catch (err) {
    if (err instanceof ApiError && err.reason === 'invalid-reply') throw new CannotCheck(`${url.origin} did not answer with agent information (is it a Fernhilfe server?).`, VerifyExit.serverUnreachable, { cause: err });
    throw new CannotCheck(`could not get the public key from ${url.origin} (${err instanceof ApiError && err.reason === 'http' ? `HTTP ${err.status}` : err instanceof Error ? err.message : String(err)}).`, VerifyExit.serverUnreachable, { cause: err });
  }
  if (!info.publicKey) throw new CannotCheck(`${url.origin} publishes no signing key for the QuickSupport program.`, VerifyExit.serverUnreachable);
  const key = parsePublicKey(info.publicKey);
  out(`Using the public key ${keyIdOf(key)} published by ${url.origin}.`);
  return { key, info, origin: url.origin };
}
