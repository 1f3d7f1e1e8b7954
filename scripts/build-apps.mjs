// Builds the two browser apps (the console and QuickSupport, Vite) unless their dist/ was built from
// exactly the current inputs. `npm run build` and so `npm start` run this after `tsc -b`.
//
// Why not always build: Vite empties dist/ before it writes, and a server that runs meanwhile
// (another `npm start` on this tree, or the test files that serve the apps beside a test that runs
// `npm start`) finds no index.html for a moment. A build from the same inputs writes the same files,
// so skipping it changes nothing but that window and the time.
//
// The inputs: every file of the app (not dist/ or node_modules/), the sources and package.json of
// every workspace package (the apps import them through the `source` condition), the lock file and
// the root package.json. Their SHA-256 is kept after a successful build in
// node_modules/.cache/fernhilfe/build-apps/<app>.sha256 (outside dist/: the agent build embeds every
// file of the QuickSupport page's dist/, and a clone's node_modules is its own).
// FERNHILFE_BUILD_APPS=always builds regardless.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnProgramSync } from '@fernhilfe/programs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const APPS = ['quicksupport', 'console'];
const SKIP = new Set(['dist', 'node_modules', '.vite']);
const STAMPS = path.join(ROOT, 'node_modules', '.cache', 'fernhilfe', 'build-apps');

/** every file under dir (sorted, relative to ROOT), without the folders in SKIP */
function files(dir) {
  const out = [];
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (SKIP.has(entry.name)) continue;
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) out.push(path.relative(ROOT, full));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

function inputsHash(app) {
  const list = [...files(path.join(ROOT, 'apps', app)), 'package.json', 'package-lock.json'];
  for (const pkg of readdirSync(path.join(ROOT, 'packages')).sort()) {
    list.push(...files(path.join(ROOT, 'packages', pkg, 'src')));
    if (existsSync(path.join(ROOT, 'packages', pkg, 'package.json'))) list.push(path.join('packages', pkg, 'package.json'));
  }
  const hash = createHash('sha256');
  for (const file of list) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(path.join(ROOT, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

let failed = false;
for (const app of APPS) {
  const dist = path.join(ROOT, 'apps', app, 'dist');
  const stamp = path.join(STAMPS, `${app}.sha256`);
  const want = inputsHash(app);
  const current = existsSync(path.join(dist, 'index.html')) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === want;
  if (current && process.env.FERNHILFE_BUILD_APPS !== 'always') {
    console.log(`apps/${app}: up to date`);
    continue;
  }
  const r = spawnProgramSync('npm', ['run', 'build', '--workspace', `apps/${app}`, '--silent'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`apps/${app}: the build failed (above)`);
    failed = true;
    continue;
  }
  // a new file renamed into place: never half-written, and never an inode another copy shares (cp -al)
  mkdirSync(STAMPS, { recursive: true });
  writeFileSync(`${stamp}.${process.pid}`, `${want}\n`);
  renameSync(`${stamp}.${process.pid}`, stamp);
}
process.exit(failed ? 1 : 0);
