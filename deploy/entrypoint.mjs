// Entry point of the container image: reads secrets from files (compose `secrets:`, Kubernetes
// Secret volumes), then runs the `fernhilfe` command with the container's arguments (default `start`).
//
//   DATABASE_PASSWORD_FILE  the PostgreSQL password, put into DATABASE_URL
//   REDIS_PASSWORD_FILE     the Redis password, put into REDIS_URL
//   TURN_SECRET_FILE        TURN_SECRET (coturn's static-auth-secret)
//   SERVER_KEY_FILE         read by the server itself (docs/audit.md, "Keys")
//   AGENT_SIGNING_KEY_FILE  the operator's Ed25519 key: at `start`, the QuickSupport programs the
//                           image carries unsigned (AGENT_PREBUILT_DIR) are signed with it into
//                           DATA_DIR/agent-signed and offered; the same file on every node gives
//                           every node the same programs. Signed builds of your own in AGENT_DIR win.
//   FERNHILFE_AUTHENTICODE_CERT + _KEY, or _PKCS12 (+ _PASSWORD_FILE): files of the Windows
//                           program's code-signing certificate (docs/agent-build.md)
//
// A password never appears on a command line or in the compose file. A missing or empty file stops
// the container with a sentence naming it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** @param {string} message */
function fail(message) {
  process.stderr.write(`fernhilfe container: ${message}\n`);
  process.exit(1);
}

/** @param {string} name */
function fromFile(name) {
  const file = process.env[`${name}_FILE`];
  if (file === undefined || file === '') return undefined;
  let text;
  try {
    text = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    return fail(`${name}_FILE: cannot read ${file} (${/** @type {NodeJS.ErrnoException} */ (err).code ?? 'error'})`);
  }
  if (text === '') fail(`${name}_FILE: ${file} is empty`);
  delete process.env[`${name}_FILE`];
  return text;
}

/** @param {string} urlVar @param {string} password */
function withPassword(urlVar, password) {
  const value = process.env[urlVar];
  if (value === undefined || value === '') return fail(`${urlVar} must be set when its password comes from a file`);
  let url;
  try {
    url = new URL(value);
  } catch {
    return fail(`${urlVar} is not a URL`);
  }
  url.password = encodeURIComponent(password);
  // a URL without a host (a Unix socket) cannot carry a password
  if (url.password === '') fail(`${urlVar} has no host to give the password from its _FILE to`);
  process.env[urlVar] = url.href;
}

const dbPassword = fromFile('DATABASE_PASSWORD');
if (dbPassword !== undefined) withPassword('DATABASE_URL', dbPassword);
const redisPassword = fromFile('REDIS_PASSWORD');
if (redisPassword !== undefined) withPassword('REDIS_URL', redisPassword);
const turnSecret = fromFile('TURN_SECRET');
if (turnSecret !== undefined) process.env.TURN_SECRET = turnSecret;

/** @param {string} message */
function say(message) {
  process.stderr.write(`fernhilfe container: ${message}\n`);
}

/** The QuickSupport programs, at `start`: signed builds mounted at AGENT_DIR, else the image's own signed with the key from the secret. */
async function offerPrograms() {
  const mounted = process.env.AGENT_DIR ?? '';
  const prebuilt = process.env.AGENT_PREBUILT_DIR ?? '';
  if (mounted !== '' && existsSync(mounted) && readdirSync(mounted).some((n) => n.startsWith('fernhilfe-quicksupport'))) {
    say(`QuickSupport programs: your own signed builds in ${mounted} are offered (AGENT_PUBLIC_KEY must name their key); the image's are not used`);
    return;
  }
  if (prebuilt === '' || !existsSync(prebuilt)) return;
  const keyFile = process.env.AGENT_SIGNING_KEY_FILE ?? '';
  delete process.env.AGENT_SIGNING_KEY_FILE;
  if (keyFile === '') {
    say(
      'QuickSupport programs: NONE offered (only the browser page), because AGENT_SIGNING_KEY_FILE is not set. ' +
        'Make one signing key once (`sh deploy/make-secrets.sh` writes deploy/secrets/agent_signing_key, or ' +
        '`fernhilfe agent-key generate --out FILE`), give the same file to every node as a secret and set ' +
        'AGENT_SIGNING_KEY_FILE to it (docs/containers.md). A node never makes a key of its own: several nodes must offer the same programs.',
    );
    return;
  }
  const a = process.env;
  const authenticode = a.FERNHILFE_AUTHENTICODE_PKCS12
    ? { pkcs12: a.FERNHILFE_AUTHENTICODE_PKCS12, ...(a.FERNHILFE_AUTHENTICODE_PASSWORD_FILE ? { passwordFile: a.FERNHILFE_AUTHENTICODE_PASSWORD_FILE } : {}) }
    : a.FERNHILFE_AUTHENTICODE_CERT && a.FERNHILFE_AUTHENTICODE_KEY
      ? { cert: a.FERNHILFE_AUTHENTICODE_CERT, key: a.FERNHILFE_AUTHENTICODE_KEY, ...(a.FERNHILFE_AUTHENTICODE_PASSWORD_FILE ? { passwordFile: a.FERNHILFE_AUTHENTICODE_PASSWORD_FILE } : {}) }
      : undefined;
  if (a.FERNHILFE_AUTHENTICODE_TIMESTAMP) fail('FERNHILFE_AUTHENTICODE_TIMESTAMP: a time stamp differs on every node, so the nodes would offer different Windows programs. Build and time-stamp the programs yourself and mount them at /agent (docs/containers.md)');
  /** @type {typeof import('../packages/server/src/agent-build/prebuilt.js')} */
  const { signPrebuilt } = await import(new URL('../packages/server/dist/agent-build/prebuilt.js', import.meta.url).href);
  const { rawPublicKey, keyIdOf } = await import(new URL('../packages/server/dist/agent-download/signature.js', import.meta.url).href);
  const to = path.join(process.env.DATA_DIR || '/data', 'agent-signed');
  let signed;
  try {
    signed = await signPrebuilt({ from: prebuilt, to, keyFile, serverUrl: process.env.PUBLIC_URL || undefined, authenticode });
  } catch (err) {
    return fail(`AGENT_SIGNING_KEY_FILE: the QuickSupport programs could not be signed: ${err instanceof Error ? err.message : String(err)}`);
  }
  const publicKey = Buffer.from(rawPublicKey(signed.publicKey)).toString('base64');
  if (a.AGENT_PUBLIC_KEY && a.AGENT_PUBLIC_KEY.trim() !== publicKey) fail(`AGENT_PUBLIC_KEY is set and is not the public key of AGENT_SIGNING_KEY_FILE (${publicKey}): remove it or give the matching key`);
  process.env.AGENT_DIR = to;
  process.env.AGENT_PUBLIC_KEY = publicKey;
  const windows = signed.programs.find((p) => p.file.endsWith('.exe'));
  say(
    `QuickSupport programs signed with key ${keyIdOf(signed.publicKey)} (public key ${publicKey}; customers check a download with \`fernhilfe verify --key ${publicKey}\`): ` +
      `${signed.programs.map((p) => p.file).join(', ')}, server built in: ${process.env.PUBLIC_URL || 'none (set PUBLIC_URL)'}` +
      (windows && !windows.authenticode ? '. The Windows program has no Authenticode signature (no FERNHILFE_AUTHENTICODE_CERT/_KEY): Windows shows "Unknown publisher"' : ''),
  );
}

const command = process.argv[2] ?? 'start';
if (command === 'start') await offerPrograms();
else delete process.env.AGENT_SIGNING_KEY_FILE;

const cli = new URL('../packages/cli/bin/fernhilfe.js', import.meta.url);
process.argv = [process.argv[0] ?? 'node', cli.pathname, ...process.argv.slice(2)];
await import(cli.href);
