// @ts-check
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { AgentBuildError } from './errors.mjs';

/**
 * The signature format lives in packages/server/src/agent-download/signature.ts (the server and
 * `fernhilfe verify` use it too). It is compiled here on the fly, so building the agent does not
 * depend on the rest of the TypeScript being built.
 * @param {string} root
 * @returns {Promise<typeof import('../../server/src/agent-download/signature.js')>}
 */
async function signatureModule(root) {
  const out = await esbuild.build({
    entryPoints: [path.join(root, 'packages/server/src/agent-download/signature.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['source'], // the workspace packages' TypeScript, so no `npm run build` is needed first
    write: false,
    logLevel: 'silent',
  });
  const code = out.outputFiles[0]?.text ?? '';
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

/**
 * Signs `file` with the operator's key (FERNHILFE_SIGNING_KEY: a PKCS#8 PEM or a hex seed file)
 * and writes `file.sig` for the download name `name`, binding the release (`version`, and the build
 * time now) into what is signed; checks the signature it just made.
 * @param {{ root: string, file: string, name: string, keyFile: string, version: string }} o
 */
export async function signBuild(o) {
  const sig = await signatureModule(o.root);
  let keyText;
  try {
    keyText = readFileSync(o.keyFile, 'utf8');
  } catch (err) {
    throw new AgentBuildError('unreadable-key', `cannot read the signing key ${o.keyFile} (${/** @type {NodeJS.ErrnoException} */ (err).code ?? err})`, { cause: err });
  }
  const key = sig.parseSigningKey(keyText);
  const bytes = readFileSync(o.file);
  const signature = sig.signAgent(bytes, o.name, key, { version: o.version, built: new Date().toISOString() });
  const check = sig.verifyAgent(bytes, signature, sig.publicKeyFromRaw(signature.publicKey));
  if (!check.ok) throw new AgentBuildError('signature-check-failed', `the signature just made does not verify: ${check.message}`);
  writeFileSync(`${o.file}.sig`, sig.formatSignature(signature), { mode: 0o644 });
  return { version: signature.version, built: signature.built, keyId: signature.keyId, sha256: signature.sha256, publicKey: Buffer.from(signature.publicKey).toString('base64') };
}
