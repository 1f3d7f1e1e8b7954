import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execProgram } from '@fernhilfe/programs';
import { parseSigningKey } from '../agent-download/signature.js';

/** The server's own Ed25519 key for the programs it builds: made once in DATA_DIR, mode 600. */
export interface SigningKey {
  file: string;
  publicKey: KeyObject;
  /** true when it was made by this start */
  created: boolean;
  /** true when an existing file was readable by others and was set back to mode 600 */
  tightened: boolean;
}

export const SIGNING_KEY_FILE = 'agent-signing-key.pem';
/** The CA of the server's own Authenticode certificate, in DATA_DIR/agent-programs. */
export const CODE_SIGNING_CA_FILE = 'authenticode-ca.pem';

/** Reads DATA_DIR/agent-signing-key.pem, or makes it (PKCS#8 PEM, mode 600) when it does not exist. */
export function ensureSigningKey(dataDir: string): SigningKey {
  const file = path.join(dataDir, SIGNING_KEY_FILE);
  mkdirSync(dataDir, { recursive: true });
  let created = false;
  if (!existsSync(file)) {
    const { privateKey } = generateKeyPairSync('ed25519');
    // written whole under another name, then renamed: never a half-written key under its name
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    renameSync(partial, file);
    created = true;
  }
  const tightened = (statSync(file).mode & 0o077) !== 0;
  if (tightened) chmodSync(file, 0o600);
  const privateKey = parseSigningKey(readFileSync(file, 'utf8'));
  return { file, publicKey: createPublicKey(privateKey), created, tightened };
}

/** The Authenticode certificate the server signs its Windows program with (no operator certificate configured). */
export interface ServerCodeSigning {
  /** the server's own CA certificate (PEM): `fernhilfe verify --ca` takes it */
  caFile: string;
  /** environment for scripts/build-agent.mjs */
  env: Record<string, string>;
}

/**
 * A code-signing certificate of the server's own (made once with openssl in `dir`): a small CA
 * whose key is deleted right after it issued the one certificate, and that certificate
 * (extendedKeyUsage codeSigning; its key mode 600). Windows does not trust this CA, so it shows the
 * program as from an "Unknown publisher" (docs/agent-build.md, "First start").
 */
export async function ensureCodeSigning(dir: string, company: string): Promise<ServerCodeSigning> {
  const caFile = path.join(dir, CODE_SIGNING_CA_FILE);
  const cert = path.join(dir, 'authenticode-cert.pem');
  const key = path.join(dir, 'authenticode-key.pem');
  const env = { FERNHILFE_AUTHENTICODE_CERT: cert, FERNHILFE_AUTHENTICODE_KEY: key };
  if (existsSync(caFile) && existsSync(cert) && existsSync(key)) return { caFile, env };
  const work = path.join(dir, `.authenticode-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true, mode: 0o700 });
  try {
    const cn = (s: string) => s.replace(/[/\\=+,"<>;#]/g, ' ').trim().slice(0, 60) || 'Fernhilfe';
    const w = (name: string) => path.join(work, name);
    await execProgram('openssl', ['req', '-x509', '-newkey', 'rsa:3072', '-nodes', '-keyout', w('ca.key'), '-out', w('ca.pem'), '-days', '3650', '-subj', `/CN=${cn(company)} QuickSupport CA (self-made by Fernhilfe)`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
    writeFileSync(w('leaf.ext'), 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning\n');
    await execProgram('openssl', ['req', '-newkey', 'rsa:3072', '-nodes', '-keyout', w('key.pem'), '-out', w('leaf.csr'), '-subj', `/CN=${cn(company)} QuickSupport`]);
    await execProgram('openssl', ['x509', '-req', '-in', w('leaf.csr'), '-CA', w('ca.pem'), '-CAkey', w('ca.key'), '-set_serial', `0x${Date.now().toString(16)}`, '-out', w('cert.pem'), '-days', '3650', '-extfile', w('leaf.ext')]);
    chmodSync(w('key.pem'), 0o600);
    renameSync(w('key.pem'), key);
    renameSync(w('cert.pem'), cert);
    renameSync(w('ca.pem'), caFile);
    return { caFile, env };
  } finally {
    rmSync(work, { recursive: true, force: true }); // the CA's key too: it never signs anything else
  }
}
