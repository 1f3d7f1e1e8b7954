// @ts-check
import { existsSync, renameSync, rmSync } from 'node:fs';
import { spawnProgramSync } from '@fernhilfe/programs';
import { AgentBuildError } from './errors.mjs';

/**
 * The operator's Authenticode code-signing certificate, from the environment (docs/agent-build.md):
 * FERNHILFE_AUTHENTICODE_CERT (PEM certificate, the chain after it) + FERNHILFE_AUTHENTICODE_KEY
 * (PEM private key), or FERNHILFE_AUTHENTICODE_PKCS12 (a .p12/.pfx holding both);
 * FERNHILFE_AUTHENTICODE_PASSWORD_FILE: a file holding the password of an encrypted key or of the
 * PKCS#12 file (a file, so the password never shows in the process list);
 * FERNHILFE_AUTHENTICODE_TIMESTAMP: an RFC 3161 time-stamping server (optional; with it the
 * signature stays valid after the certificate expires).
 * @typedef {{ kind: 'pem', cert: string, key: string, passwordFile?: string, timestamp?: string } | { kind: 'pkcs12', pkcs12: string, passwordFile?: string, timestamp?: string }} AuthenticodeConfig
 */

/**
 * Reads and checks the configuration; throws AgentBuildError('authenticode-config') saying in plain
 * words what is missing. Only the file names are read here, never a password.
 * @param {NodeJS.ProcessEnv} env
 * @returns {AuthenticodeConfig}
 */
export function authenticodeConfig(env) {
  const cert = env.FERNHILFE_AUTHENTICODE_CERT;
  const key = env.FERNHILFE_AUTHENTICODE_KEY;
  const pkcs12 = env.FERNHILFE_AUTHENTICODE_PKCS12;
  const passwordFile = env.FERNHILFE_AUTHENTICODE_PASSWORD_FILE || undefined;
  const timestamp = env.FERNHILFE_AUTHENTICODE_TIMESTAMP || undefined;
  const fail = (/** @type {string} */ msg) => new AgentBuildError('authenticode-config', msg);
  const how =
    'The Windows program is signed with your code-signing certificate (Authenticode), so that Windows names you as its publisher: ' +
    'set FERNHILFE_AUTHENTICODE_CERT and FERNHILFE_AUTHENTICODE_KEY (PEM files) or FERNHILFE_AUTHENTICODE_PKCS12 (a .p12/.pfx file, with FERNHILFE_AUTHENTICODE_PASSWORD_FILE), ' +
    'or pass --unsigned for a development build (docs/agent-build.md, "A code-signing certificate for Windows")';
  if (pkcs12 && (cert || key)) throw fail('set either FERNHILFE_AUTHENTICODE_PKCS12 or FERNHILFE_AUTHENTICODE_CERT + FERNHILFE_AUTHENTICODE_KEY, not both');
  if (!pkcs12 && !cert && !key) throw fail(`no code-signing certificate is set. ${how}`);
  if (!pkcs12 && !cert) throw fail(`FERNHILFE_AUTHENTICODE_KEY is set but FERNHILFE_AUTHENTICODE_CERT (the certificate that goes with the key, PEM) is not. ${how}`);
  if (!pkcs12 && !key) throw fail(`FERNHILFE_AUTHENTICODE_CERT is set but FERNHILFE_AUTHENTICODE_KEY (the certificate's private key, PEM) is not. ${how}`);
  for (const [name, file] of [['FERNHILFE_AUTHENTICODE_PKCS12', pkcs12], ['FERNHILFE_AUTHENTICODE_CERT', cert], ['FERNHILFE_AUTHENTICODE_KEY', key], ['FERNHILFE_AUTHENTICODE_PASSWORD_FILE', passwordFile]]) {
    if (file && !existsSync(file)) throw fail(`${name} names ${file}, which does not exist`);
  }
  if (timestamp && !/^https?:\/\//.test(timestamp)) throw fail(`FERNHILFE_AUTHENTICODE_TIMESTAMP must be the http(s) address of an RFC 3161 time-stamping server, not "${timestamp}"`);
  const extra = { ...(passwordFile ? { passwordFile } : {}), ...(timestamp ? { timestamp } : {}) };
  return pkcs12 ? { kind: 'pkcs12', pkcs12, ...extra } : { kind: 'pem', cert: /** @type {string} */ (cert), key: /** @type {string} */ (key), ...extra };
}

/** @param {string[]} args @param {string} what */
function osslsigncode(args, what) {
  const r = spawnProgramSync('osslsigncode', args);
  if (r.status !== 0) throw new AgentBuildError('authenticode-failed', `${what} failed (osslsigncode ${r.status ?? r.signal}): ${`${r.stdout}${r.stderr}`.trim()}`);
  return `${r.stdout}`;
}

/** Copies a PE file without its Authenticode signature (Node.js's, which the injection breaks). @param {string} from @param {string} to */
export function removeSignature(from, to) {
  const r = spawnProgramSync('osslsigncode', ['remove-signature', '-in', from, '-out', to]);
  // an unsigned input is no error: osslsigncode says so and writes nothing
  if (r.status !== 0 || !existsSync(to)) throw new AgentBuildError('authenticode-failed', `removing the Node.js project's signature from ${from} failed: ${`${r.stdout}${r.stderr}`.trim()}`);
}

/**
 * Signs the PE `file` in place with the operator's certificate (SHA-256, the program's name and
 * the operator's server as its "more information" link).
 * @param {string} file
 * @param {AuthenticodeConfig} config
 * @param {{ description: string, url?: string }} o
 */
export function authenticodeSign(file, config, o) {
  const out = `${file}.signing`;
  const who = config.kind === 'pkcs12' ? ['-pkcs12', config.pkcs12] : ['-certs', config.cert, '-key', config.key];
  const args = ['sign', ...who, ...(config.passwordFile ? ['-readpass', config.passwordFile] : []), '-h', 'sha256', '-n', o.description];
  if (o.url) args.push('-i', o.url);
  if (config.timestamp) args.push('-ts', config.timestamp);
  rmSync(out, { force: true });
  try {
    osslsigncode([...args, '-in', file, '-out', out], 'Authenticode signing');
    renameSync(out, file);
  } finally {
    rmSync(out, { force: true });
  }
}
