import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeRecordingKey, sealRecording } from '@fernhilfe/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce, runCli } from '../support/processes.js';

/** `fernhilfe recording keygen|decrypt` (docs/recording.md): real files, the real command. */
describe('fernhilfe recording', () => {
  let tmp: string;
  beforeAll(() => {
    buildOnce();
    tmp = mkdtempSync(path.join(tmpdir(), 'fh-rec-cli-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('makes a key pair (private key mode 600), decrypts a recording, and writes nothing for a wrong key or an altered file', async () => {
    const keyFile = path.join(tmp, 'rec.key');
    const gen = await runCli(['recording', 'keygen', '--out', keyFile]);
    expect(gen.code, gen.stderr).toBe(0);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const publicKey = /public key: ([A-Za-z0-9_-]{43})/.exec(gen.stdout)?.[1];
    expect(publicKey).toBeDefined();
    expect((await runCli(['recording', 'keygen', '--out', keyFile])).stderr).toMatch(/already exists/);

    const webm = Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.alloc(200_000, 7)]);
    const sealed = await sealRecording(decodeRecordingKey(publicKey ?? ''), webm);
    expect(Buffer.from(sealed).includes(Buffer.from([0x1a, 0x45, 0xdf, 0xa3]))).toBe(false);
    const file = path.join(tmp, 'session.fhrec');
    writeFileSync(file, sealed);
    const out = path.join(tmp, 'session.webm');
    const ok = await runCli(['recording', 'decrypt', file, '--key', keyFile, '-o', out]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(readFileSync(out).equals(webm)).toBe(true);

    const otherKey = path.join(tmp, 'other.key');
    expect((await runCli(['recording', 'keygen', '--out', otherKey])).code).toBe(0);
    const wrongOut = path.join(tmp, 'wrong.webm');
    const wrong = await runCli(['recording', 'decrypt', file, '--key', otherKey, '-o', wrongOut]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/not made for this key/);

    const altered = Buffer.from(sealed);
    altered[150_000] = (altered[150_000] ?? 0) ^ 1;
    const alteredFile = path.join(tmp, 'altered.fhrec');
    writeFileSync(alteredFile, altered);
    const tampered = await runCli(['recording', 'decrypt', alteredFile, '--key', keyFile, '-o', wrongOut]);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toMatch(/altered|cut/);
    expect(existsSync(wrongOut)).toBe(false);
    expect(readdirSync(tmp).filter((n) => n.endsWith('.part'))).toEqual([]);
  });
});
