import { spawnProgramSync } from '@fernhilfe/programs';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { registryPackage } from '@fernhilfe/programs';
import { parseSignature, publicKeyFromRaw, verifyAgent } from '@fernhilfe/server/agent-download/public';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce, runCli } from '../support/processes.js';
import { builtEncoder } from './support/encoder-records.js';
import { BUILT_IN_SERVER, runBuildScript } from './build-fixture.js';
import { builtWindowsAgent, WINDOWS_FILE, type BuiltWindowsAgent } from './build-windows-fixture.js';

/** osslsigncode verify, as an operator or a customer on Linux runs it. */
function osslVerify(file: string, caFile: string): { code: number | null; out: string } {
  const r = spawnProgramSync('osslsigncode', ['verify', '-in', file, '-CAfile', caFile]);
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('npm run build:agent -- --platform win-x64: one Windows program, signed twice', () => {
  let agent: BuiltWindowsAgent;
  let tmp: string;
  beforeAll(async () => {
    buildOnce();
    agent = await builtWindowsAgent();
    tmp = mkdtempSync(path.join(tmpdir(), 'fernhilfe-win-build-'));
    process.stdout.write(`windows agent build (cached or fresh) took ${(agent.buildMs / 1000).toFixed(1)} s:\n${agent.buildOutput}`);
  }, 300_000);
  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  /** A copy of the program (and its .sig) with the byte in the middle of the file flipped. */
  const tampered = () => {
    const file = path.join(tmp, WINDOWS_FILE);
    const bytes = readFileSync(agent.file);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = bytes[at]! ^ 0x01;
    writeFileSync(file, bytes);
    copyFileSync(agent.sig, `${file}.sig`);
    return file;
  };

  it('writes a 64-bit Windows GUI program on the pinned Node with koffi and the encoder inside, and its Ed25519 signature over the final bytes', () => {
    expect(readdirSync(agent.dir).filter((f) => f.startsWith('fernhilfe-') || f.startsWith('.'))).toEqual([WINDOWS_FILE, `${WINDOWS_FILE}.sig`]);
    expect(agent.buildOutput).toMatch(/platform +win-x64 \(Node v22\.\d+\.\d+ from the npm registry, GUI subsystem/);
    const bytes = readFileSync(agent.file);
    expect(bytes.toString('latin1', 0, 2)).toBe('MZ');
    const pe = bytes.readUInt32LE(0x3c);
    expect(bytes.toString('latin1', pe, pe + 4)).toBe('PE\0\0');
    expect(bytes.readUInt16LE(pe + 4)).toBe(0x8664); // x86-64
    expect(bytes.readUInt16LE(pe + 24)).toBe(0x20b); // PE32+
    expect(bytes.readUInt16LE(pe + 24 + 68)).toBe(2); // GUI: no console window
    // koffi's Windows module and the Windows encoder travel inside, byte for byte (SEA assets)
    const koffi = readFileSync(path.join(registryPackage('@koromix/koffi-win32-x64').dir, 'win32_x64/koffi.node'));
    expect(bytes.indexOf(koffi)).toBeGreaterThan(0);
    expect(bytes.indexOf(readFileSync(builtEncoder('win-x64')))).toBeGreaterThan(0);
    expect(agent.buildOutput).toMatch(/assets +koffi\.node [\d.]+ MiB, encoder [\d.]+ MiB \(encoder: fernhilfe-encoder\.exe\)/);
    // and the agent itself, with the built-in server
    expect(bytes.indexOf(Buffer.from(BUILT_IN_SERVER))).toBeGreaterThan(0);

    const sig = parseSignature(readFileSync(agent.sig, 'utf8'));
    expect(sig).toMatchObject({ file: WINDOWS_FILE, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    expect(verifyAgent(bytes, sig, publicKeyFromRaw(sig.publicKey))).toMatchObject({ ok: true });
  });

  it('osslsigncode accepts the Authenticode signature against the test CA and refuses a copy with one byte changed or another CA', () => {
    const good = osslVerify(agent.file, agent.caFile);
    expect(good.out).toContain('Subject: /CN=Fernhilfe Test Operator');
    expect(good.out).toContain('Signature verification: ok');
    expect(good.code).toBe(0);
    const changed = osslVerify(tampered(), agent.caFile);
    expect(changed.out).toMatch(/MISMATCH/);
    expect(changed.code).not.toBe(0);
    const otherCa = osslVerify(agent.file, agent.otherCaFile);
    expect(otherCa.out).toMatch(/unable to get local issuer certificate/);
    expect(otherCa.code).not.toBe(0);
  });

  it('fernhilfe verify checks both signatures and says which one failed', async () => {
    const ok = await runCli(['verify', agent.file, '--key', agent.publicKeyBase64, '--ca', agent.caFile]);
    expect(ok.stdout).toContain(`OK: ${WINDOWS_FILE} is exactly the file signed with the key`);
    expect(ok.stdout).toContain('OK: its Windows signature (Authenticode) is valid: signed by /CN=Fernhilfe Test Operator, issued by /CN=Fernhilfe Test CA.');
    expect(ok.stdout).toContain('Checks: Ed25519 signature (fernhilfe-quicksupport.exe.sig) OK; Authenticode signature OK.');
    expect(ok.code).toBe(0);

    const changed = await runCli(['verify', tampered(), '--key', agent.publicKeyBase64, '--ca', agent.caFile]);
    expect(changed.stdout).toContain('NOT VALID: its Windows signature (Authenticode): the file was changed after it was signed');
    expect(changed.stdout).toContain('Checks: Ed25519 signature (fernhilfe-quicksupport.exe.sig) FAILED; Authenticode signature FAILED.');
    expect(changed.code).toBe(1);

    // the operator's Ed25519 signature holds, but the code-signing certificate is not from the CA the customer trusts
    const untrusted = await runCli(['verify', agent.file, '--key', agent.publicKeyBase64, '--ca', agent.otherCaFile]);
    expect(untrusted.stdout).toContain(`NOT VALID: its Windows signature (Authenticode): it is signed by /CN=Fernhilfe Test Operator, whose certificate was not issued by the CA in ${agent.otherCaFile}.`);
    expect(untrusted.stdout).toContain('Checks: Ed25519 signature (fernhilfe-quicksupport.exe.sig) OK; Authenticode signature FAILED.');
    expect(untrusted.code).toBe(1);
  });

  it('refuses to build the Windows program without a code-signing certificate, saying what to set', async () => {
    const out = mkdtempSync(path.join(tmp, 'refused-'));
    const run = await runBuildScript(['--platform', 'win-x64', '--out', out], {
      FERNHILFE_SIGNING_KEY: agent.keyFile,
      FERNHILFE_AUTHENTICODE_CERT: undefined,
      FERNHILFE_AUTHENTICODE_KEY: undefined,
      FERNHILFE_AUTHENTICODE_PKCS12: undefined,
    });
    expect(run.stderr).toMatch(/no code-signing certificate is set.*FERNHILFE_AUTHENTICODE_CERT and FERNHILFE_AUTHENTICODE_KEY.*--unsigned/);
    expect(run.code).toBe(1);
    const halfSet = await runBuildScript(['--platform', 'win-x64', '--out', out], { FERNHILFE_SIGNING_KEY: agent.keyFile, FERNHILFE_AUTHENTICODE_CERT: agent.caFile, FERNHILFE_AUTHENTICODE_KEY: undefined });
    expect(halfSet.stderr).toContain('FERNHILFE_AUTHENTICODE_CERT is set but FERNHILFE_AUTHENTICODE_KEY');
    expect(halfSet.code).toBe(1);
    const unknown = await runBuildScript(['--platform', 'mac-arm64', '--out', out, '--unsigned']);
    expect(unknown.stderr).toContain('--platform mac-arm64 is not a platform this build makes; choose one of linux-x64, win-x64');
    expect(existsSync(path.join(out, WINDOWS_FILE))).toBe(false);
  });
});
