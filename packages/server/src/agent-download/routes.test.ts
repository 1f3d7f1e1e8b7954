import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../../tests/support/server.js';
import { loadConfig } from '../config.js';
import { agentInfoSchema } from '@fernhilfe/protocol';
import { formatSignature, keyIdOf, parsePublicKey, parseSignature, rawPublicKey, signAgent, verifyAgent } from './signature.js';
import { AGENT_FILE } from './platforms.js';

const b64 = (k: KeyObject) => Buffer.from(rawPublicKey(k)).toString('base64');

/** An AGENT_DIR holding a "program" (random bytes stand in for the real build) and its signature. */
function agentDir(bytes: Buffer, signer: KeyObject) {
  const dir = mkdtempSync(path.join(tmpdir(), 'fernhilfe-agent-dir-'));
  const write = (content: Buffer, by: KeyObject) => {
    writeFileSync(path.join(dir, AGENT_FILE), content);
    writeFileSync(path.join(dir, `${AGENT_FILE}.sig`), formatSignature(signAgent(content, AGENT_FILE, by, { version: '1.0.0', built: new Date().toISOString() })));
  };
  write(bytes, signer);
  return { dir, write };
}

async function info(srv: TestServer) {
  const res = await fetch(`${srv.url}/api/agent/info`);
  expect(res.status).toBe(200);
  return agentInfoSchema.parse(await res.json());
}

describe('the signed agent download', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0)) await c();
  });
  const start = async (env: Record<string, string>) => {
    const srv = await startTestServer(env);
    cleanup.push(() => srv.close());
    return srv;
  };

  it('publishes the key and offers the program whose downloaded bytes verify with it', async () => {
    const operator = generateKeyPairSync('ed25519').privateKey;
    const bytes = randomBytes(300_000);
    const { dir } = agentDir(bytes, operator);
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const srv = await start({ AGENT_DIR: dir, AGENT_PUBLIC_KEY: b64(operator) });

    const i = await info(srv);
    expect(i).toMatchObject({ available: true, fileName: AGENT_FILE, version: '1.0.0', size: bytes.length, publicKey: b64(operator), keyId: keyIdOf(operator), downloadUrl: '/download/agent', signatureUrl: '/download/agent.sig' });
    expect(i.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(i.downloads).toEqual([{ platform: 'linux-x64', os: 'linux', fileName: AGENT_FILE, version: '1.0.0', built: i.built, size: bytes.length, sha256: i.sha256, keyId: keyIdOf(operator), downloadUrl: '/download/agent', signatureUrl: '/download/agent.sig' }]);

    const download = await fetch(`${srv.url}${i.downloadUrl}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="${AGENT_FILE}"`);
    expect(download.headers.get('content-type')).toBe('application/octet-stream');
    const got = Buffer.from(await download.arrayBuffer());
    expect(got.equals(bytes)).toBe(true);
    const sigText = await (await fetch(`${srv.url}${i.signatureUrl}`)).text();
    expect(verifyAgent(got, parseSignature(sigText), parsePublicKey(i.publicKey!))).toMatchObject({ ok: true });
    expect(srv.logText()).toContain('agent build verified: offered for download');
  });

  it('does not offer a program whose signature does not verify, and says so in the log', async () => {
    const operator = generateKeyPairSync('ed25519').privateKey;
    const bytes = randomBytes(50_000);
    const { dir } = agentDir(bytes, operator);
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const changed = Buffer.from(bytes);
    changed[100] = changed[100]! ^ 1;
    writeFileSync(path.join(dir, AGENT_FILE), changed);
    const srv = await start({ AGENT_DIR: dir, AGENT_PUBLIC_KEY: b64(operator) });

    expect(await info(srv)).toMatchObject({ available: false, fileName: null, size: null, sha256: null, downloadUrl: null });
    expect((await fetch(`${srv.url}/download/agent`)).status).toBe(404);
    expect((await fetch(`${srv.url}/download/agent.sig`)).status).toBe(404);
    expect(srv.logText()).toMatch(/agent build NOT offered for download: its signature does not verify \(the file is not the one that was signed/);
  });

  it("does not offer a program signed with another key than AGENT_PUBLIC_KEY, but publishes the operator's key", async () => {
    const operator = generateKeyPairSync('ed25519').privateKey;
    const intruder = generateKeyPairSync('ed25519').privateKey;
    const { dir } = agentDir(randomBytes(10_000), intruder);
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const srv = await start({ AGENT_DIR: dir, AGENT_PUBLIC_KEY: b64(operator) });

    expect(await info(srv)).toMatchObject({ available: false, publicKey: b64(operator), keyId: keyIdOf(operator) });
    expect((await fetch(`${srv.url}/download/agent`)).status).toBe(404);
    expect(srv.logText()).toContain(`signed with key ${keyIdOf(intruder)}, not with the trusted key ${keyIdOf(operator)}`);
  });

  it('checks a replaced program again before serving it: a changed file is withdrawn, a re-signed one offered', async () => {
    const operator = generateKeyPairSync('ed25519').privateKey;
    const { dir, write } = agentDir(randomBytes(20_000), operator);
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const srv = await start({ AGENT_DIR: dir, AGENT_PUBLIC_KEY: b64(operator) });
    expect((await info(srv)).available).toBe(true);

    writeFileSync(path.join(dir, AGENT_FILE), randomBytes(20_001)); // replaced, signature not renewed
    expect((await fetch(`${srv.url}/download/agent`)).status).toBe(404);
    expect((await info(srv)).available).toBe(false);

    const rebuilt = randomBytes(20_002);
    write(rebuilt, operator);
    const res = await fetch(`${srv.url}/download/agent`);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(rebuilt)).toBe(true);
  });

  it('offers nothing when AGENT_DIR is empty or holds no build', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'fernhilfe-agent-empty-'));
    cleanup.push(() => rmSync(empty, { recursive: true, force: true }));
    const srv = await start({ AGENT_DIR: empty });
    expect(await info(srv)).toEqual({ downloads: [], available: false, publicKey: null, publicKeyPem: null, keyId: null, fileName: null, version: null, built: null, size: null, sha256: null, downloadUrl: null, signatureUrl: null });
    expect((await fetch(`${srv.url}/download/agent`)).status).toBe(404);
  });

  it('refuses an AGENT_PUBLIC_KEY that is not an Ed25519 key, naming the variable', () => {
    const base = { PORT: '0', DATA_DIR: tmpdir() };
    expect(() => loadConfig({ ...base, AGENT_PUBLIC_KEY: 'not-a-key' })).toThrow(/AGENT_PUBLIC_KEY: cannot read not-a-key/);
    expect(() => loadConfig({ ...base, AGENT_PUBLIC_KEY: 'QUFB' + 'A'.repeat(39) + '=' + 'x' })).toThrow(/AGENT_PUBLIC_KEY/);
    expect(loadConfig({ ...base, AGENT_DIR: '' }).agentDir).toBeUndefined();
    const k = generateKeyPairSync('ed25519').publicKey;
    expect(keyIdOf(loadConfig({ ...base, AGENT_PUBLIC_KEY: b64(k) }).agentPublicKey!)).toBe(keyIdOf(k));
  });
});
