import { createHash, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agentInfoSchema } from '@fernhilfe/protocol';
import { startTestServer, type TestServer } from '../../../../tests/support/server.js';
import { formatSignature, keyIdOf, rawPublicKey, signAgent } from './signature.js';
import { AGENT_FILE, AGENT_FILE_WINDOWS } from './platforms.js';

const b64 = (k: KeyObject) => Buffer.from(rawPublicKey(k)).toString('base64');
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Writes `bytes` as `file` into `dir` with a signature by `by`, made for the name `signedAs`. */
function put(dir: string, file: string, bytes: Buffer, by: KeyObject, signedAs = file): void {
  writeFileSync(path.join(dir, file), bytes);
  writeFileSync(path.join(dir, `${file}.sig`), formatSignature(signAgent(bytes, signedAs, by, { version: '2.0.0', built: new Date().toISOString() })));
}

describe('the signed agent download, one build per platform', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0)) await c();
  });
  const setup = async (fill: (dir: string, operator: KeyObject) => void): Promise<{ srv: TestServer; operator: KeyObject }> => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fernhilfe-agent-platforms-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const operator = generateKeyPairSync('ed25519').privateKey;
    fill(dir, operator);
    const srv = await startTestServer({ AGENT_DIR: dir, AGENT_PUBLIC_KEY: b64(operator) });
    cleanup.push(() => srv.close());
    return { srv, operator };
  };
  const info = async (srv: TestServer) => agentInfoSchema.parse(await (await fetch(`${srv.url}/api/agent/info`)).json());

  it('offers the Windows and the Linux build side by side, each with size, SHA-256, signer and its own address', async () => {
    const win = randomBytes(40_000);
    const linux = randomBytes(30_000);
    const { srv, operator } = await setup((dir, key) => {
      put(dir, AGENT_FILE_WINDOWS, win, key);
      put(dir, AGENT_FILE, linux, key);
    });
    const i = await info(srv);
    expect(i.downloads.map((d) => [d.platform, d.os, d.fileName, d.size, d.sha256, d.keyId, d.version])).toEqual([
      ['win-x64', 'windows', AGENT_FILE_WINDOWS, win.length, sha256(win), keyIdOf(operator), '2.0.0'],
      ['linux-x64', 'linux', AGENT_FILE, linux.length, sha256(linux), keyIdOf(operator), '2.0.0'],
    ]);
    const exe = await fetch(`${srv.url}${i.downloads[0]!.downloadUrl}`);
    expect(exe.headers.get('content-disposition')).toBe(`attachment; filename="${AGENT_FILE_WINDOWS}"`);
    expect(Buffer.from(await exe.arrayBuffer()).equals(win)).toBe(true);
    expect(await (await fetch(`${srv.url}${i.downloads[0]!.signatureUrl}`)).text()).toContain(`file: ${AGENT_FILE_WINDOWS}\n`);
    expect(Buffer.from(await (await fetch(`${srv.url}/download/agent`)).arrayBuffer()).equals(linux)).toBe(true);
  });

  it('withdraws only the build that does not verify, and refuses a build signed under another name', async () => {
    const linux = randomBytes(30_000);
    const { srv } = await setup((dir, key) => {
      put(dir, AGENT_FILE, linux, key);
      put(dir, AGENT_FILE_WINDOWS, randomBytes(20_000), key, AGENT_FILE); // the Linux statement beside the .exe
    });
    const i = await info(srv);
    expect(i.downloads.map((d) => d.platform)).toEqual(['linux-x64']);
    expect(i).toMatchObject({ available: true, fileName: AGENT_FILE, size: linux.length });
    expect((await fetch(`${srv.url}/download/agent-win-x64`)).status).toBe(404);
    expect(srv.logText()).toContain(`the signature is for a file named ${AGENT_FILE}, not ${AGENT_FILE_WINDOWS}`);
  });

  it('offers a Windows build alone: the Linux fields say none, the list has it', async () => {
    const { srv } = await setup((dir, key) => put(dir, AGENT_FILE_WINDOWS, randomBytes(10_000), key));
    const i = await info(srv);
    expect(i).toMatchObject({ available: false, fileName: null, downloadUrl: null });
    expect(i.downloads.map((d) => d.fileName)).toEqual([AGENT_FILE_WINDOWS]);
    expect((await fetch(`${srv.url}/download/agent`)).status).toBe(404);
  });
});
