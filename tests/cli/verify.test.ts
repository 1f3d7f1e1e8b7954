import { execProgramSync } from '@fernhilfe/programs';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatSignature, parseSigningKey, signAgent } from '@fernhilfe/server/agent-download/public';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_FILE, builtAgent, type BuiltAgent } from '../agent/build-fixture.js';
import { buildOnce, runCli } from '../support/processes.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe('npx fernhilfe verify: a customer checks the downloaded QuickSupport program', () => {
  let agent: BuiltAgent;
  let srv: TestServer;
  let tmp: string;

  beforeAll(async () => {
    buildOnce();
    agent = await builtAgent();
    srv = await startTestServer({ AGENT_DIR: agent.dir, AGENT_PUBLIC_KEY: agent.publicKeyBase64 });
    tmp = mkdtempSync(path.join(tmpdir(), 'fernhilfe-verify-'));
  }, 180_000);
  afterAll(async () => {
    await srv?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  /** A copy of the program with its signature beside it, as a download folder would hold them. */
  const copyOfBuild = (name: string) => {
    const file = path.join(tmp, name);
    copyFileSync(agent.file, file);
    copyFileSync(agent.sig, `${file}.sig`);
    return file;
  };

  it('accepts the built program with the public key as text or as a PEM file', async () => {
    const byText = await runCli(['verify', agent.file, '--key', agent.publicKeyBase64]);
    expect(byText.stdout).toMatch(new RegExp(`^OK: ${AGENT_FILE} is exactly the file signed with the key [0-9a-f]{16} \\(version \\d+\\.\\d+\\.\\d+, built `));
    expect(byText.code).toBe(0);
    const byPem = await runCli(['verify', agent.file, '--sig', agent.sig, '--key', agent.publicPemFile]);
    expect(byPem.stdout).toContain('OK:');
    expect(byPem.code).toBe(0);
  });

  it('refuses the program after one byte is changed, and a truncated one', async () => {
    const file = copyOfBuild('changed');
    const bytes = readFileSync(file);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = bytes[at]! ^ 0x01;
    writeFileSync(file, bytes);
    const changed = await runCli(['verify', file, '--key', agent.publicKeyBase64]);
    expect(changed.stdout).toContain('NOT VALID: changed: the file is not the one that was signed: its content differs from the signed file.');
    expect(changed.stdout).toContain('Do not run this file.');
    expect(changed.code).toBe(1);

    const short = copyOfBuild('short');
    writeFileSync(short, readFileSync(short).subarray(0, statSync(short).size - 1));
    const truncated = await runCli(['verify', short, '--key', agent.publicKeyBase64]);
    expect(truncated.stdout).toMatch(/NOT VALID: .*it has \d+ bytes, the signed file had \d+/);
    expect(truncated.code).toBe(1);
  });

  it("refuses a signature made with someone else's key", async () => {
    const other = await runCli(['agent-key', 'generate', '--out', path.join(tmp, 'other-key.pem')]);
    const otherKey = /public key: (\S+)/.exec(other.stdout)?.[1];
    expect(otherKey).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const wrong = await runCli(['verify', agent.file, '--key', otherKey!]);
    expect(wrong.stdout).toMatch(/^NOT VALID: .*signed with key [0-9a-f]{16}, not with the trusted key [0-9a-f]{16}/);
    expect(wrong.code).toBe(1);
  });

  it('cannot check without the signature file, with a broken one, or without saying which key to trust', async () => {
    const file = copyOfBuild('nosig');
    rmSync(`${file}.sig`);
    const missing = await runCli(['verify', file, '--key', agent.publicKeyBase64]);
    expect(missing.stdout).toBe(`CANNOT CHECK: the signature file ${file}.sig does not exist.\n`);
    expect(missing.code).toBe(2);

    writeFileSync(`${file}.sig`, readFileSync(agent.sig, 'utf8').replace(/^version: .*$/m, 'version: latest'));
    const broken = await runCli(['verify', file, '--key', agent.publicKeyBase64]);
    expect(broken.stdout).toMatch(/^CANNOT CHECK: not a Fernhilfe signature file: version: must be a version like 1\.2\.3/);
    expect(broken.code).toBe(2);

    const noKey = await runCli(['verify', agent.file]);
    expect(noKey.stdout).toMatch(/^CANNOT CHECK: say which key to trust/);
    expect(noKey.code).toBe(2);
  });

  it('checks a download from the server against the key that server publishes', async () => {
    const file = path.join(tmp, 'downloaded');
    const res = await fetch(`${srv.url}/download/agent`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${AGENT_FILE}"`);
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    writeFileSync(`${file}.sig`, await (await fetch(`${srv.url}/download/agent.sig`)).text());
    expect(readFileSync(file).equals(readFileSync(agent.file))).toBe(true);

    const ok = await runCli(['verify', file, '--server', srv.url]);
    expect(ok.stdout).toMatch(new RegExp(`^Using the public key [0-9a-f]{16} published by ${srv.url}\\.\\nOK: downloaded is exactly`));
    expect(ok.code).toBe(0);

    // an older build, genuinely signed by the same key, is refused against what the server offers now
    const older = path.join(tmp, 'older');
    writeFileSync(older, 'an older program\n');
    writeFileSync(`${older}.sig`, formatSignature(signAgent(readFileSync(older), 'older', parseSigningKey(readFileSync(agent.keyFile, 'utf8')), { version: '0.0.1', built: '2020-01-01T00:00:00.000Z' })));
    expect((await runCli(['verify', older, '--key', agent.publicKeyBase64])).code).toBe(0);
    const rolledBack = await runCli(['verify', older, '--server', srv.url]);
    expect(rolledBack.stdout).toMatch(/NOT VALID: older is version 0\.0\.1 built 2020-01-01T00:00:00\.000Z, older than version \d+\.\d+\.\d+ built \S+ that http:\/\/127\.0\.0\.1:\d+ offers/);
    expect(rolledBack.code).toBe(1);

    const unreachable = await runCli(['verify', file, '--server', 'http://127.0.0.1:1']);
    expect(unreachable.stdout).toMatch(/^CANNOT CHECK: could not get the public key from http:\/\/127\.0\.0\.1:1/);
    expect(unreachable.code).toBe(3);
  });

  it('checks with standard tools too: openssl pkeyutl -verify -rawin over the signed lines, and sha256sum (docs/agent-build.md)', () => {
    const sigText = readFileSync(agent.sig, 'utf8');
    const sigLine = sigText.split('\n').find((l) => l.startsWith('signature: '))!;
    const sigBin = path.join(tmp, 'signature.bin');
    writeFileSync(sigBin, Buffer.from(sigLine.slice('signature: '.length), 'base64'));
    const statement = path.join(tmp, 'statement.txt');
    execProgramSync('sh', ['-c', `head -n 6 "$0" > "$1"`, agent.sig, statement]);
    const openssl = (file: string) => {
      try {
        return execProgramSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', agent.publicPemFile, '-rawin', '-in', file, '-sigfile', sigBin], { stdio: 'pipe' });
      } catch (err) {
        return `failed: ${(err as { stdout?: string }).stdout ?? ''}`;
      }
    };
    expect(openssl(statement)).toBe('Signature Verified Successfully\n');
    const sha = execProgramSync('sha256sum', [agent.file]).split(' ')[0];
    expect(readFileSync(statement, 'utf8')).toContain(`\nsha256: ${sha}\n`);
    // a statement claiming a newer version does not verify
    writeFileSync(statement, readFileSync(statement, 'utf8').replace(/^version: .*$/m, 'version: 99.0.0'));
    expect(openssl(statement)).toMatch(/^failed: Signature Verification Failure/);
  });

  it('agent-key generate writes a private key only its owner can read, never over an existing one', async () => {
    const keyFile = path.join(tmp, 'operator-key.pem');
    const gen = await runCli(['agent-key', 'generate', '--out', keyFile]);
    expect(gen.code).toBe(0);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const publicKey = /public key: (\S+)/.exec(gen.stdout)?.[1];
    expect((await runCli(['agent-key', 'public', keyFile])).stdout).toContain(`public key: ${publicKey}`);

    const before = readFileSync(keyFile, 'utf8');
    const again = await runCli(['agent-key', 'generate', '--out', keyFile]);
    expect(again.stderr).toContain('already exists; not overwriting a signing key');
    expect(again.code).toBe(1);
    expect(readFileSync(keyFile, 'utf8')).toBe(before);

    // what this key signs verifies with the printed public key, and with nothing else
    const file = path.join(tmp, 'signed-by-operator');
    writeFileSync(file, 'a small program\n');
    writeFileSync(`${file}.sig`, formatSignature(signAgent(readFileSync(file), 'signed-by-operator', parseSigningKey(before), { version: '1.0.0', built: new Date().toISOString() })));
    expect((await runCli(['verify', file, '--key', publicKey!])).code).toBe(0);
    expect((await runCli(['verify', file, '--key', agent.publicKeyBase64])).code).toBe(1);
    expect(existsSync(`${keyFile}.pub.pem`)).toBe(true);
  });
});
