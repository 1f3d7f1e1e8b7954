// Entry point of the container image: reads secrets from files (compose `secrets:`, Kubernetes
// Secret volumes), then runs the `fernhilfe` command with the container's arguments (default `start`).
//
//   DATABASE_PASSWORD_FILE  the PostgreSQL password, put into DATABASE_URL
//   REDIS_PASSWORD_FILE     the Redis password, put into REDIS_URL
//   TURN_SECRET_FILE        TURN_SECRET (coturn's static-auth-secret)
//   SERVER_KEY_FILE         read by the server itself (docs/audit.md, "Keys")
//
// A password never appears on a command line or in the compose file. A missing or empty file stops
// the container with a sentence naming it.
import { readFileSync } from 'node:fs';

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

const cli = new URL('../packages/cli/bin/fernhilfe.js', import.meta.url);
process.argv = [process.argv[0] ?? 'node', cli.pathname, ...process.argv.slice(2)];
await import(cli.href);
