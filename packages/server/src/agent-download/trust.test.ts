import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../../../../tests/support/server.js';
import { formatSignature, rawPublicKey, signAgent } from './signature.js';
import { AGENT_FILE } from './platforms.js';

const b64 = (k: KeyObject) => Buffer.from(rawPublicKey(k)).toString('base64');
const FIXED_TIME = new Date('2026-01-01T00:00:00Z');

/** Writes a build and its signature into `dir`, both with one fixed modification time. */
function writeBuild(dir: string, bytes: Buffer, by: KeyObject, release = { version: '1.0.0', built: '2026-11-01T08:00:00.000Z' }) {
  const file = path.join(dir, AGENT_FILE);
  writeFileSync(file, bytes);
  writeFileSync(`${file}.sig`, formatSignature(signAgent(bytes, AGENT_FILE, by, release)));
  utimesSync(file, FIXED_TIME, FIXED_TIME);
  utimesSync(`${file}.sig`, FIXED_TIME, FIXED_TIME);
}

async function available(srv: TestServer): Promise<boolean> {
  const res = await fetch(`${srv.url}/api/agent/info`);
  return ((await res.json()) as { available: boolean }).available;
}

describe('whom the agent download trusts', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0)) await c();
  });
  const setup = async (env: (dir: string) => Record<string, string>) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fernhilfe-agent-trust-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    return { dir, start: async () => {
      const srv = await startTestServer(env(dir));
      cleanup.push(() => srv.close());
      return srv;
    } };
  };

  it('offers nothing without AGENT_PUBLIC_KEY: the key inside the signature file is never trusted', async () => {
    const { dir, start } = await setup((d) => ({ AGENT_DIR: d }));
    writeBuild(dir, randomBytes(10_000), generateKeyPairSync('ed25519').privateKey);
    const srv = await start();
    expect(await available(srv)).toBe(false);
    expect((await fetch(`${srv.url}/download/agent`)).status).toBe(404);
    expect(srv.logText()).toContain('AGENT_PUBLIC_KEY is not set');
  });

  it('never delivers whole a file swapped on disk after it verified (same size, same time, same inode)', async () => {
    const operator = generateKeyPairSync('ed25519').privateKey;
    const { dir, start } = await setup((d) => ({ AGENT_DIR: d, AGENT_PUBLIC_KEY: b64(operator) }));
    const genuine = randomBytes(2_000_000);
    writeBuild(dir, genuine, operator);
    const srv = await start();
    expect(await available(srv)).toBe(true);

    const file = path.join(dir, AGENT_FILE);
    const inode = statSync(file).ino;
    const evil = randomBytes(genuine.length);
    writeFileSync(file, evil); // rewritten in place: the same inode
    utimesSync(file, FIXED_TIME, FIXED_TIME);
    expect(statSync(file).ino).toBe(inode);

    const res = await fetch(`${srv.url}/download/agent`);
    // either refused outright, or cut off before its announced length: never the whole swapped file
    if (res.status === 200) await expect(res.arrayBuffer()).rejects.toThrow();
    else expect(res.status).toBe(404);
    await vi.waitFor(() => expect(srv.logText()).toContain('agent download cut off: the file on disk is no longer the verified build'));
    // and it is withdrawn: checked again, it does not verify
    expect((await fetch(`${srv.url}/download/agent`)).status).toBe(404);
    expect(await available(srv)).toBe(false);
  });

  it('refuses to go back to an older signed build, even across a restart', async () => {
    const operator = generateKeyPairSync('ed25519').privateKey;
    const dataDir = mkdtempSync(path.join(tmpdir(), 'fernhilfe-agent-trust-data-'));
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const { dir, start } = await setup((d) => ({ AGENT_DIR: d, AGENT_PUBLIC_KEY: b64(operator), DATA_DIR: dataDir }));
    const old = randomBytes(30_000);
    writeBuild(dir, randomBytes(30_001), operator, { version: '1.1.0', built: '2026-12-01T08:00:00.000Z' });
    const first = await start();
    expect(await available(first)).toBe(true);
    await first.close();

    // someone puts back the older, genuinely signed build (with its genuine signature)
    writeBuild(dir, old, operator, { version: '1.0.0', built: '2026-11-01T08:00:00.000Z' });
    const second = await start();
    expect(await available(second)).toBe(false);
    expect((await fetch(`${second.url}/download/agent`)).status).toBe(404);
    expect(second.logText()).toContain('older than version 1.1.0 built 2026-12-01T08:00:00.000Z that this server offered before: a rollback');
  });
});
