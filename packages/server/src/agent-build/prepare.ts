import type { KeyObject } from 'node:crypto';
import path from 'node:path';
import type { Config } from '../config.js';
import { keyIdOf, rawPublicKey } from '../agent-download/signature.js';
import type { Logger } from '../logger.js';
import { decideBuildMode, type BuildMode } from './decide.js';
import { ensureSigningKey } from './keys.js';

/** Where the download code looks and which key it trusts, by who provides the programs. */
export interface ProgramSource {
  mode: BuildMode;
  /** AGENT_DIR, or DATA_DIR/agent-programs in auto mode */
  agentDir: string | undefined;
  /** AGENT_PUBLIC_KEY, or the server's own key in auto mode */
  publicKey: KeyObject | undefined;
  /** auto mode: DATA_DIR/agent-signing-key.pem */
  signingKeyFile: string | undefined;
}

/**
 * At start, before the download code is set up: decides the mode and, in auto mode, reads or makes
 * the server's signing key (DATA_DIR, mode 600) and logs its public key, which customers check
 * downloads with (`fernhilfe verify --key`).
 */
export function prepareProgramSource(config: Config, log: Logger): ProgramSource {
  const mode = decideBuildMode(config);
  if (mode.kind === 'operator') {
    log.info({ why: mode.why }, `QuickSupport programs: the operator's own key and builds (${mode.why}); nothing is built automatically`);
    return { mode, agentDir: config.agentDir, publicKey: config.agentPublicKey, signingKeyFile: undefined };
  }
  if (mode.kind === 'off') {
    log.info('QuickSupport programs: AGENT_AUTOBUILD=off and no key of your own configured: no program is built or offered (docs/agent-build.md)');
    return { mode, agentDir: config.agentDir, publicKey: undefined, signingKeyFile: undefined };
  }
  const key = ensureSigningKey(config.dataDir);
  const publicKey = Buffer.from(rawPublicKey(key.publicKey)).toString('base64');
  if (key.tightened) log.warn({ file: key.file }, 'the QuickSupport signing key was readable by others; set back to mode 600');
  log.info(
    { file: key.file, publicKey, keyId: keyIdOf(key.publicKey), created: key.created },
    `QuickSupport programs are built and signed by this server: signing key ${key.file} (${key.created ? 'made now' : 'kept'}, mode 600), public key ${publicKey} (key id ${keyIdOf(key.publicKey)})`,
  );
  return { mode, agentDir: path.join(config.dataDir, 'agent-programs'), publicKey: key.publicKey, signingKeyFile: key.file };
}
