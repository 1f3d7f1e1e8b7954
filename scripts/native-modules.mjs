// @ts-check
/**
 * What `npm ci --ignore-scripts` (scripts/test.sh) left out: the install scripts that package.json's
 * allowScripts allows. better-sqlite3's compiles SQLite (a minute of CPU on an idle machine, many
 * on a busy one), so its result is kept in `cacheDir()/native/<package>-<version>-<node>-<platform>-<arch>/`
 * and copied back on the next clean install of the same version under the same Node. A copy is
 * used only after it loads and answers a query; otherwise the package is built again (`npm rebuild`).
 * Each new cache entry is written into a temporary folder and renamed into place.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir, execProgramSync } from '@fernhilfe/programs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(path.join(ROOT, 'package.json'));

/** @type {Record<string, { files: string[], check: (pkg: any) => boolean }>} */
const CACHED = {
  'better-sqlite3': {
    files: ['build/Release/better_sqlite3.node'],
    check: (Database) => new Database(':memory:').prepare('select 40 + 2 as x').get().x === 42,
  },
};

/** true when the package loads and works (a fresh process: a failed native load stays cached in this one) */
function works(name) {
  const probe = `const pkg = require(${JSON.stringify(name)}); process.exit((${CACHED[name]?.check.toString()})(pkg) ? 0 : 1)`;
  try {
    execProgramSync({ file: process.execPath }, ['-e', probe], { cwd: ROOT, stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

const allowed = Object.entries(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).allowScripts ?? {})
  .filter(([, yes]) => yes === true)
  .map(([name]) => name);

for (const name of allowed) {
  const dir = path.dirname(require.resolve(`${name}/package.json`));
  const cached = CACHED[name];
  if (!cached) {
    execProgramSync('npm', ['rebuild', '--no-audit', '--no-fund', name], { cwd: ROOT, stdio: 'inherit' });
    continue;
  }
  const { version } = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const entry = path.join(cacheDir(), 'native', `${name}-${version}-node${process.version}-${process.platform}-${process.arch}`);
  if (existsSync(entry)) {
    for (const f of cached.files) {
      mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      copyFileSync(path.join(entry, path.basename(f)), path.join(dir, f));
    }
    if (works(name)) {
      console.log(`${name} ${version}: the build for Node ${process.version} from ${entry}`);
      continue;
    }
    console.log(`${name} ${version}: the cached build in ${entry} does not work here; building it again`);
  }
  execProgramSync('npm', ['rebuild', '--no-audit', '--no-fund', name], { cwd: ROOT, stdio: 'inherit' });
  if (!works(name)) {
    console.error(`${name} does not load after npm rebuild`);
    process.exit(1);
  }
  mkdirSync(path.dirname(entry), { recursive: true });
  const work = mkdtempSync(`${entry}.partial-`);
  for (const f of cached.files) copyFileSync(path.join(dir, f), path.join(work, path.basename(f)));
  rmSync(entry, { recursive: true, force: true });
  try {
    renameSync(work, entry);
  } catch {
    rmSync(work, { recursive: true, force: true }); // another install was first
  }
}
