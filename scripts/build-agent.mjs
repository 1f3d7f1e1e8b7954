#!/usr/bin/env node
// @ts-check
// `npm run build:agent [-- --platform win-x64|linux-x64] [--server https://support.example.com]`: the
// QuickSupport agent as one signed file per platform (docs/agent-build.md). Helpers: packages/agent/build/.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { agentEntry, bundleAgent } from '../packages/agent/build/bundle.mjs';
import { measureStartup } from '../packages/agent/build/measure.mjs';
import { makeSea } from '../packages/agent/build/sea.mjs';
import { SERVER_SLOT_LENGTH, SERVER_SLOT_MARKER } from '../packages/agent/build/server-slot.mjs';
import { signBuild } from '../packages/agent/build/sign.mjs';
import { assetsFor, nodeFor, targetByName, TARGETS } from '../packages/agent/build/targets.mjs';
import { authenticodeConfig, authenticodeSign } from '../packages/agent/build/authenticode.mjs';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));

const usage = `Usage: npm run build:agent -- [--platform linux-x64|win-x64] [--server URL] [--out DIR] [--no-strip] [--unsigned] [--measure]
  --platform NAME  linux-x64 (default): ${TARGETS['linux-x64'].file}; win-x64: ${TARGETS['win-x64'].file}
  --server URL     the operator's server, built into the program (the agent also takes --server at run time)
  --out DIR        where to write the program and its .sig (default: dist/agent)
  --no-strip       keep Node's debug symbols (Linux; about 12 MB more)
  --no-encoder     leave the encoder program out (development: the program cannot send the screen)
  --code-cache     force V8's code cache on (on|off; default: on for linux-x64, off for win-x64)
  --unsigned       skip signing (for development only: the server will not offer an unsigned build)
  --server-slot    with --unsigned: room for the server's address, written in when the build is signed
                   later (the container image; docs/containers.md); writes FILE.prebuilt.json beside it
  --measure        afterwards, start the program a few times and print its start-up time (win-x64: under wine)
  --entry FILE     bundle another entry than packages/agent/src/main.ts (development)
  --bundle-only    write only the one-file bundle fernhilfe-quicksupport.cjs (runs with \`node\`), no executable
The program is the pinned Node.js LTS from the npm registry (packages/programs/src/registry-packages.json).
The Ed25519 signing key comes from FERNHILFE_SIGNING_KEY (a PKCS#8 PEM or a hex seed file);
create one with \`npx fernhilfe agent-key generate --out FILE\`. The Windows program is also signed
with Authenticode: FERNHILFE_AUTHENTICODE_CERT + FERNHILFE_AUTHENTICODE_KEY (PEM) or
FERNHILFE_AUTHENTICODE_PKCS12, optional FERNHILFE_AUTHENTICODE_PASSWORD_FILE and
FERNHILFE_AUTHENTICODE_TIMESTAMP (docs/agent-build.md).`;

/** @param {string} msg */
function fail(msg) {
  process.stderr.write(`build:agent: ${msg}\n`);
  process.exit(1);
}

/** @param {string | undefined} value */
function checkServer(value) {
  if (value === undefined) return undefined;
  let url;
  try {
    url = new URL(value);
  } catch {
    return fail(`--server "${value}" is not a URL (e.g. https://support.example.com)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail(`--server must be an https:// (or http://) URL, not ${url.protocol}`);
  if (url.username || url.password || url.search || url.hash) fail('--server must not hold a user name, password, query or fragment');
  if (url.protocol === 'http:' && !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    process.stderr.write(`build:agent: warning: ${url.origin} is plain HTTP; customers' agents will talk to it unencrypted at the transport level\n`);
  }
  return url.href.replace(/\/$/, '');
}

async function main() {
  const { values } = parseArgs({
    options: {
      server: { type: 'string' },
      out: { type: 'string' },
      platform: { type: 'string', default: 'linux-x64' },
      'no-encoder': { type: 'boolean' },
      'code-cache': { type: 'string' },
      'no-strip': { type: 'boolean' },
      unsigned: { type: 'boolean' },
      measure: { type: 'boolean' },
      entry: { type: 'string' },
      'bundle-only': { type: 'boolean' },
      'server-slot': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return void process.stdout.write(`${usage}\n`);
  if (process.platform !== 'linux' || process.arch !== 'x64') fail(`builds on linux-x64 (this is ${process.platform}-${process.arch})`);
  const target = targetByName(values.platform ?? 'linux-x64');
  const FILE = target.file;
  const serverUrl = checkServer(values.server);
  const keyFile = process.env.FERNHILFE_SIGNING_KEY;
  const signing = !values.unsigned && !values['bundle-only'];
  if (!keyFile && signing) fail('FERNHILFE_SIGNING_KEY is not set (path to the signing key; `npx fernhilfe agent-key generate --out FILE` makes one), or pass --unsigned');
  const authenticode = signing && target.windows ? authenticodeConfig(process.env) : undefined;
  if (values['code-cache'] !== undefined && !['on', 'off'].includes(values['code-cache'])) fail('--code-cache takes on or off');
  const slot = Boolean(values['server-slot']);
  if (slot && (!values.unsigned || serverUrl !== undefined)) fail('--server-slot goes with --unsigned and without --server: the address is written in when the build is signed later');
  if (slot && values['code-cache'] === 'on') fail('--server-slot builds without the code cache (the cache would keep the empty slot)');
  const codeCache = slot ? false : values['code-cache'] ? values['code-cache'] === 'on' : !target.windows;

  const outDir = path.resolve(values.out ?? path.join(ROOT, 'dist/agent'));
  const version = JSON.parse(readFileSync(path.join(ROOT, 'packages/agent/package.json'), 'utf8')).version;
  const entry = values.entry ? { file: path.resolve(values.entry), placeholder: false } : agentEntry(ROOT);
  if (entry.placeholder) process.stderr.write('build:agent: warning: packages/agent/src/main.ts does not exist yet; building the placeholder entry\n');

  const t0 = performance.now();
  const work = mkdtempSync(path.join(tmpdir(), 'fernhilfe-agent-build-'));
  const tmpOut = path.join(outDir, `.${FILE}.partial`);
  try {
    const bundleFile = path.join(work, 'agent.cjs');
    const bundled = await bundleAgent({ root: ROOT, entry: entry.file, outFile: bundleFile, serverUrl, version, serverSlot: slot });
    const t1 = performance.now();
    if (values['bundle-only']) {
      mkdirSync(outDir, { recursive: true });
      copyFileSync(bundleFile, path.join(outDir, 'fernhilfe-quicksupport.cjs'));
      process.stdout.write(`built ${path.join(outDir, 'fernhilfe-quicksupport.cjs')} (${bundled.inputs} modules, ${bundled.assets.length} page files embedded)\n`);
      return;
    }

    mkdirSync(outDir, { recursive: true });
    const node = nodeFor(target);
    const { assets, encoderNote } = await assetsFor(target, { withEncoder: !values['no-encoder'] });
    const sea = await makeSea({ bundleFile, outFile: tmpOut, workDir: work, binary: node.binary, blobMaker: node.blobMaker, windows: target.windows, codeCache, assets, strip: !values['no-strip'] });
    const t2 = performance.now();

    // Authenticode first: the Ed25519 signature covers the final, Authenticode-signed bytes
    if (authenticode) authenticodeSign(tmpOut, authenticode, { description: 'Fernhilfe QuickSupport', ...(serverUrl ? { url: serverUrl } : {}) });
    const signed = signing ? await signBuild({ root: ROOT, file: tmpOut, name: FILE, keyFile: /** @type {string} */ (keyFile), version }) : undefined;
    const t3 = performance.now();
    const out = path.join(outDir, FILE);
    rmSync(`${out}.sig`, { force: true });
    if (signed) renameSync(`${tmpOut}.sig`, `${out}.sig`);
    // a slotted build: what its later signer needs (the release, the same on every node that signs it)
    if (slot) writeFileSync(`${out}.prebuilt.json`, `${JSON.stringify({ file: FILE, platform: target.name, version, built: new Date().toISOString(), slot: { marker: SERVER_SLOT_MARKER, length: SERVER_SLOT_LENGTH } }, null, 2)}\n`);
    renameSync(tmpOut, out);

    const mb = (/** @type {number} */ n) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
    const s = (/** @type {number} */ ms) => `${(ms / 1000).toFixed(1)} s`;
    process.stdout.write(
      [
        `built ${out}`,
        `  size        ${mb(statSync(out).size)} (bundle ${mb(statSync(bundleFile).size)} from ${bundled.inputs} modules, ${bundled.assets.length} page files embedded)`,
        `  platform    ${target.name} (Node ${sea.nodeVersion} from the npm registry${sea.stripped ? ', symbols stripped' : ''}${target.windows ? ', GUI subsystem: no console window' : ''}; V8 code cache ${codeCache ? 'on' : 'off'})`,
        `  assets      ${Object.entries(assets).map(([name, file]) => `${name} ${mb(statSync(file).size)}`).join(', ') || 'none'} (encoder: ${encoderNote})`,
        `  server      ${slot ? `(a slot of ${SERVER_SLOT_LENGTH} bytes, written in when signed)` : (serverUrl ?? '(none built in: the agent needs --server URL)')}`,
        `  entry       ${path.relative(ROOT, entry.file)}`,
        target.windows ? `  authenticode ${authenticode ? `signed with ${authenticode.kind === 'pkcs12' ? authenticode.pkcs12 : authenticode.cert}${authenticode.timestamp ? `, time-stamped by ${authenticode.timestamp}` : ', no time stamp'}` : 'NONE (--unsigned)'}` : '',
        signed ? `  signature   ${out}.sig (key ${signed.keyId}, public key ${signed.publicKey})` : '  signature   NONE (--unsigned)',
        signed ? `  sha256      ${signed.sha256}` : '',
        signed ? `  release     ${signed.version}, built ${signed.built} (signed: the server never goes back to an older one)` : '',
        `  time        ${s(t3 - t0)} (bundle ${s(t1 - t0)}, executable ${s(t2 - t1)}, sign ${s(t3 - t2)})`,
        '',
      ].filter((l, i, a) => l !== '' || i === a.length - 1).join('\n'),
    );
    if (values.measure) process.stdout.write(`  start-up    ${await measureStartup(out, target)}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(tmpOut, { force: true }); // only left when the build failed
    rmSync(`${tmpOut}.sig`, { force: true });
  }
}

main().catch((err) => fail(err instanceof Error ? err.message : String(err)));
