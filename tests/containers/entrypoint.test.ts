import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, buildOnce, runCli, runNode } from '../support/processes.js';

/**
 * The image's entry point (deploy/entrypoint.mjs) on the host: a secret file that is missing, empty
 * or cannot go into its URL stops the start with a sentence naming it, and never prints the secret.
 * That a good file reaches PostgreSQL and Redis shows in compose-stack.test.ts, where both need it.
 */
const ENTRY = path.join(ROOT, 'deploy/entrypoint.mjs');
const dir = mkdtempSync(path.join(tmpdir(), 'fernhilfe-entry-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the container entry point reads secrets from files', () => {
  it('refuses a missing file, an empty file and a URL without a host, naming the variable and not the secret', async () => {
    buildOnce();
    const secret = path.join(dir, 'pw');
    writeFileSync(secret, 'geheim-und-lang-genug\n');
    const empty = path.join(dir, 'empty');
    writeFileSync(empty, '');
    const cases: [Record<string, string>, RegExp][] = [
      [{ DATABASE_URL: 'postgres://fernhilfe@db:5432/fernhilfe', DATABASE_PASSWORD_FILE: path.join(dir, 'missing') }, /DATABASE_PASSWORD_FILE: cannot read .*missing \(ENOENT\)/],
      [{ REDIS_URL: 'redis://redis:6379/0', REDIS_PASSWORD_FILE: empty }, /REDIS_PASSWORD_FILE: .*empty is empty/],
      [{ DATABASE_URL: 'postgres:///fernhilfe?host=/run/postgresql', DATABASE_PASSWORD_FILE: secret }, /DATABASE_URL has no host/],
      [{ DATABASE_URL: 'postgres://fernhilfe@/fernhilfe?host=/run/postgresql', DATABASE_PASSWORD_FILE: secret }, /DATABASE_URL is not a URL/],
      [{ REDIS_PASSWORD_FILE: secret }, /REDIS_URL must be set/],
    ];
    for (const [env, message] of cases) {
      const r = await runNode(ENTRY, ['user', 'list'], { env: { DATABASE_URL: '', REDIS_URL: '', ...env } });
      expect(r.stderr).toMatch(message);
      expect(r.code).toBe(1);
      expect(r.stdout + r.stderr).not.toContain('geheim-und-lang-genug');
    }
  });
});

/**
 * At `start` the entry point signs the QuickSupport programs the image carries (AGENT_PREBUILT_DIR,
 * unsigned, with a slot for the server's address) with the operator's key from AGENT_SIGNING_KEY_FILE.
 * A small stand-in "program" holding the slot takes the place of the real ones here (the real ones
 * are signed in compose-stack.test.ts); an invalid PORT ends the server right after the entry point
 * has done its part.
 */
describe('the container entry point signs the image\'s QuickSupport programs at start', () => {
  const MARKER = '@@fernhilfe-server-url-slot@@';
  const FILE = 'fernhilfe-quicksupport-linux-x64';
  const prebuilt = path.join(dir, 'prebuilt');
  mkdirSync(prebuilt, { recursive: true });
  writeFileSync(path.join(prebuilt, FILE), Buffer.concat([Buffer.from('#!/bin/sh\nvar s = "'), Buffer.from(MARKER.padEnd(512, ' ')), Buffer.from('";\n')]));
  writeFileSync(path.join(prebuilt, `${FILE}.prebuilt.json`), JSON.stringify({ file: FILE, platform: 'linux-x64', version: '0.1.0', built: '2026-12-01T10:00:00.000Z', slot: { marker: MARKER, length: 512 } }));
  const keyFile = path.join(dir, 'agent_signing_key');
  const key = generateKeyPairSync('ed25519').privateKey;
  writeFileSync(keyFile, key.export({ type: 'pkcs8', format: 'pem' }));
  const publicKey = Buffer.from(createPublicKey(key).export({ format: 'jwk' }).x!, 'base64url').toString('base64');
  const start = (env: Record<string, string>) => runNode(ENTRY, ['start'], { env: { PORT: 'not-a-port', AGENT_PREBUILT_DIR: prebuilt, AGENT_DIR: path.join(dir, 'agent-none'), ...env } });

  it('signs them with the key from the secret, with PUBLIC_URL in the program, and fernhilfe verify accepts them with its public key', async () => {
    buildOnce();
    const data = path.join(dir, 'data-signed');
    const r = await start({ DATA_DIR: data, AGENT_SIGNING_KEY_FILE: keyFile, PUBLIC_URL: 'https://support.example.org' });
    expect(r.stderr).toContain(`QuickSupport programs signed with key`);
    expect(r.stderr).toContain(`fernhilfe verify --key ${publicKey}`);
    expect(r.stderr).not.toContain('PRIVATE KEY');
    const signed = path.join(data, 'agent-signed', FILE);
    const bytes = readFileSync(signed, 'latin1');
    expect(bytes).toContain(`"${'https://support.example.org'.padEnd(512, ' ')}"`);
    expect(bytes).not.toContain(MARKER);
    const ok = await runCli(['verify', signed, '--key', publicKey]);
    expect(ok.stdout).toMatch(/^OK: fernhilfe-quicksupport-linux-x64 is exactly the file signed with the key/m);
    expect(ok.code).toBe(0);
    // another key's public key refuses it
    const other = Buffer.from(createPublicKey(generateKeyPairSync('ed25519').privateKey).export({ format: 'jwk' }).x!, 'base64url').toString('base64');
    expect((await runCli(['verify', signed, '--key', other])).code).not.toBe(0);
  }, 180_000);

  it('without AGENT_SIGNING_KEY_FILE says what to do and offers nothing; a key that is not one stops the start', async () => {
    const data = path.join(dir, 'data-none');
    const none = await start({ DATA_DIR: data });
    expect(none.stderr).toMatch(/QuickSupport programs: NONE offered .* AGENT_SIGNING_KEY_FILE is not set\. Make one signing key once/);
    expect(existsSync(path.join(data, 'agent-signed'))).toBe(false);
    const bad = path.join(dir, 'not-a-key');
    writeFileSync(bad, 'nur ein Passwort\n');
    const refused = await start({ DATA_DIR: data, AGENT_SIGNING_KEY_FILE: bad });
    expect(refused.stderr).toMatch(/AGENT_SIGNING_KEY_FILE: the QuickSupport programs could not be signed: the signing key .*not-a-key is not usable/);
    expect(refused.stderr).not.toContain('nur ein Passwort');
    expect(refused.code).toBe(1);
  }, 180_000);

  it('signed builds of the operator mounted at AGENT_DIR win: the image\'s are not signed', async () => {
    const mounted = path.join(dir, 'agent-mounted');
    mkdirSync(mounted, { recursive: true });
    writeFileSync(path.join(mounted, FILE), 'a build of the operator');
    const data = path.join(dir, 'data-mounted');
    const r = await start({ DATA_DIR: data, AGENT_DIR: mounted, AGENT_SIGNING_KEY_FILE: keyFile });
    expect(r.stderr).toContain(`your own signed builds in ${mounted} are offered`);
    expect(existsSync(path.join(data, 'agent-signed'))).toBe(false);
  }, 180_000);
});
