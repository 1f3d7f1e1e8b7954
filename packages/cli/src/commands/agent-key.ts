import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { CommandError } from '../errors.js';
import { keyIdOf, parseSigningKey, rawPublicKey } from '@fernhilfe/server/agent-download/public';

/** Lines telling the operator what the public key is and where it goes. */
function describe(key: KeyObject): string[] {
  const raw = Buffer.from(rawPublicKey(key)).toString('base64');
  return [
    `public key: ${raw}`,
    `key id:     ${keyIdOf(key)}`,
    '',
    'On the server:   AGENT_PUBLIC_KEY=' + raw,
    'Customers check: npx fernhilfe verify fernhilfe-quicksupport-linux-x64 --key ' + raw,
  ];
}

/**
 * `fernhilfe agent-key generate --out FILE`: a new Ed25519 signing key as PKCS#8 PEM, written with
 * mode 0600 and never over an existing file; the public half goes to FILE.pub.pem and stdout.
 */
export function agentKeyGenerate(out: string, print: (line: string) => void): void {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' });
  try {
    writeFileSync(out, pem, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CommandError(code === 'EEXIST' ? 'exists' : 'unreadable', code === 'EEXIST' ? `${out} already exists; not overwriting a signing key` : `cannot write ${out} (${code ?? String(err)})`, { cause: err });
  }
  writeFileSync(`${out}.pub.pem`, publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644 });
  print(`signing key written to ${out} (mode 0600: keep it secret, keep a backup)`);
  print(`public key written to ${out}.pub.pem`);
  for (const line of describe(publicKey)) print(line);
  print(`Build and sign:  FERNHILFE_SIGNING_KEY=${out} npm run build:agent -- --server https://support.example.com`);
}

/** `fernhilfe agent-key public FILE`: prints the public key of an existing signing key. */
export function agentKeyPublic(file: string, print: (line: string) => void): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CommandError('unreadable', `cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { cause: err });
  }
  for (const line of describe(parseSigningKey(text))) print(line);
}
