import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execProgram } from '@fernhilfe/programs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../../../../tests/support/server.js';
import { loadConfig } from '../config.js';
import { AGENT_FILE, AGENT_FILE_WINDOWS } from '../agent-download/platforms.js';
import { formatSignature, rawPublicKey, signAgent } from '../agent-download/signature.js';

/**
 * AUTHENTICODE_CA_FILE: an operator whose Windows program is signed with a certificate of their own
 * CA (the container nodes: deploy/make-secrets.sh makes one) publishes that CA at
 * /download/authenticode-ca.pem, where `fernhilfe verify --server` fetches it. Checked at start:
 * a file that is no CA certificate stops the server with the variable's name.
 */
describe('the Authenticode CA the operator configures', () => {
  let dir: string;
  let caPem: string;
  let leafFile: string;
  const operator = generateKeyPairSync('ed25519').privateKey;
  const b64 = (k: KeyObject) => Buffer.from(rawPublicKey(k)).toString('base64');

  /** an AGENT_DIR holding signed stand-ins for the given programs */
  function programs(files: string[]): string {
    const at = mkdtempSync(path.join(dir, 'agent-'));
    for (const file of files) {
      const bytes = randomBytes(50_000);
      writeFileSync(path.join(at, file), bytes);
      writeFileSync(path.join(at, `${file}.sig`), formatSignature(signAgent(bytes, file, operator, { version: '1.0.0', built: new Date().toISOString() })));
    }
    return at;
  }

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'fernhilfe-authenticode-ca-'));
    const w = (f: string) => path.join(dir, f);
    await execProgram('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', w('ca.key'), '-out', w('ca.pem'), '-days', '30', '-subj', '/CN=Test QuickSupport CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
    await execProgram('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', w('leaf.key'), '-out', w('leaf.pem'), '-days', '30', '-subj', '/CN=Not a CA', '-addext', 'basicConstraints=critical,CA:FALSE']);
    caPem = readFileSync(w('ca.pem'), 'utf8');
    leafFile = w('leaf.pem');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is published at /download/authenticode-ca.pem while a Windows program is offered', async () => {
    const srv = await startTestServer({ AGENT_DIR: programs([AGENT_FILE_WINDOWS, AGENT_FILE]), AGENT_PUBLIC_KEY: b64(operator), AUTHENTICODE_CA_FILE: path.join(dir, 'ca.pem') });
    try {
      const res = await fetch(`${srv.url}/download/authenticode-ca.pem`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/x-pem-file/);
      expect(await res.text()).toBe(caPem);
    } finally {
      await srv.close();
    }
  });

  it('is not published where no Windows program is offered', async () => {
    const srv = await startTestServer({ AGENT_DIR: programs([AGENT_FILE]), AGENT_PUBLIC_KEY: b64(operator), AUTHENTICODE_CA_FILE: path.join(dir, 'ca.pem') });
    try {
      const res = await fetch(`${srv.url}/download/authenticode-ca.pem`);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/publishes no CA/);
    } finally {
      await srv.close();
    }
  });

  it('refuses a file that is not a CA certificate, naming the variable and the reason', () => {
    const base = { PORT: '0', DATA_DIR: dir };
    expect(loadConfig({ ...base, AUTHENTICODE_CA_FILE: path.join(dir, 'ca.pem') }).authenticodeCa).toBe(caPem);
    expect(() => loadConfig({ ...base, AUTHENTICODE_CA_FILE: leafFile })).toThrow(/AUTHENTICODE_CA_FILE: .*leaf\.pem is not a usable PEM certificate: it is not a CA certificate/);
    expect(() => loadConfig({ ...base, AUTHENTICODE_CA_FILE: path.join(dir, 'ca.key') })).toThrow(/AUTHENTICODE_CA_FILE: .*ca\.key is not a usable PEM certificate/);
    expect(() => loadConfig({ ...base, AUTHENTICODE_CA_FILE: path.join(dir, 'missing.pem') })).toThrow(/AUTHENTICODE_CA_FILE: cannot read/);
  });
});
