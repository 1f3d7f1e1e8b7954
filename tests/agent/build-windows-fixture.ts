import { execProgramSync } from '@fernhilfe/programs';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { BUILT_IN_SERVER, cachedBuild, type BuiltAgent } from './build-fixture.js';

export const WINDOWS_FILE = 'fernhilfe-quicksupport.exe';

export interface BuiltWindowsAgent extends BuiltAgent {
  /** the test CA (PEM) that issued the operator's code-signing certificate */
  caFile: string;
  /** another CA that issued nothing here */
  otherCaFile: string;
}

/** A self-signed CA named `cn` in `dir`/`name`.pem (+ .key). */
function makeCa(dir: string, name: string, cn: string): string {
  const pem = path.join(dir, `${name}.pem`);
  execProgramSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, `${name}.key`), '-out', pem, '-days', '30', '-subj', `/CN=${cn}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], { stdio: 'pipe' });
  return pem;
}

/**
 * A test CA and an Authenticode code-signing certificate it issued (extendedKeyUsage codeSigning),
 * made with openssl in the build's folder; returns the environment the build takes them from.
 */
function makeCodeSigningCert(dir: string): Record<string, string> {
  const ca = makeCa(dir, 'test-ca', 'Fernhilfe Test CA');
  makeCa(dir, 'other-ca', 'Somebody Else CA');
  const key = path.join(dir, 'codesign.key');
  const csr = path.join(dir, 'codesign.csr');
  const cert = path.join(dir, 'codesign.pem');
  const ext = path.join(dir, 'codesign.ext');
  writeFileSync(ext, 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning\n');
  execProgramSync('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', '/CN=Fernhilfe Test Operator'], { stdio: 'pipe' });
  execProgramSync('openssl', ['x509', '-req', '-in', csr, '-CA', ca, '-CAkey', path.join(dir, 'test-ca.key'), '-CAcreateserial', '-out', cert, '-days', '30', '-extfile', ext], { stdio: 'pipe' });
  return { FERNHILFE_AUTHENTICODE_CERT: cert, FERNHILFE_AUTHENTICODE_KEY: key };
}

/** The Windows program, signed with Authenticode (a test CA's certificate) and the operator's Ed25519 key; built once per set of inputs. */
export async function builtWindowsAgent(): Promise<BuiltWindowsAgent> {
  const built = await cachedBuild('win', async (work) => ({ args: ['--platform', 'win-x64', '--server', BUILT_IN_SERVER, '--out', work], env: makeCodeSigningCert(work) }));
  return {
    ...built,
    file: path.join(built.dir, WINDOWS_FILE),
    sig: path.join(built.dir, `${WINDOWS_FILE}.sig`),
    caFile: path.join(built.dir, 'test-ca.pem'),
    otherCaFile: path.join(built.dir, 'other-ca.pem'),
  };
}
