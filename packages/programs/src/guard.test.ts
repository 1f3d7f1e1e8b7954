import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isProgramName } from '@fernhilfe/programs';

/**
 * The guard of the one list: every program that Fernhilfe's code, tests and benchmarks start goes
 * through this package, by a name from programs.json. It reads the sources as text, so it also
 * covers the .mjs build scripts that the compiler does not check.
 */
const ROOT = path.resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const SKIP = new Set(['node_modules', 'dist', '.git', 'data', 'results', 'screenshots']);
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const THIS_PACKAGE = path.join('packages', 'programs', 'src', 'index.js');
const THIS_TEST = path.join('packages', 'programs', 'src', 'guard.test.ts'); // its samples break every rule

function sources(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) sources(full, out);
    else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** `import { spawn } from 'node:child_process'`, require or import() of it; `import type` is fine. */
const CHILD_PROCESS = /(?:^|\n)\s*import\s+(?!type\b)[^;]*?from\s+['"](?:node:)?child_process['"]|require\(\s*['"](?:node:)?child_process['"]\s*\)|import\(\s*['"](?:node:)?child_process['"]\s*\)/;
/** A program named by a literal where this package takes one. */
const NAMED = /\b(?:spawnProgram|spawnProgramSync|execProgram|execProgramSync|programPath|findProgram)\(\s*(['"`])([^'"`]+)\1/g;
/** `{ file: 'ffmpeg' }` or Playwright's `executablePath: '/usr/bin/…'`: an outside program by a literal, around the list. */
const LITERAL_FILE = /\{\s*file:\s*['"`][^'"`]+['"`]|executablePath:\s*['"`]/g;

export function violations(file: string, text: string): string[] {
  const rel = path.relative(ROOT, file);
  const found: string[] = [];
  if (rel !== THIS_PACKAGE && CHILD_PROCESS.test(text)) {
    found.push(`${rel}: imports child_process; start programs through @fernhilfe/programs (spawnProgram, execProgram, …)`);
  }
  for (const m of text.matchAll(NAMED)) {
    if (!isProgramName(m[2]!)) found.push(`${rel}: starts '${m[2]}', which packages/programs/src/programs.json does not list (add it with its Debian package)`);
  }
  for (const m of text.matchAll(LITERAL_FILE)) found.push(`${rel}: names a program by a literal path (${m[0]}); list it in programs.json and use its name`);
  return found;
}

describe('every program the code starts is on the list', () => {
  it('no source outside @fernhilfe/programs starts a program, and every name it starts is listed', () => {
    const files = sources(ROOT);
    expect(files.length, 'the walk found the sources').toBeGreaterThan(300);
    for (const folder of ['packages', 'apps', 'tests', 'scripts', path.join('bench', 'src'), path.join('tools', 'testkit', 'src')]) {
      expect(files.some((file) => path.relative(ROOT, file).startsWith(folder + path.sep)), `the walk covers ${folder}/`).toBe(true);
    }
    const found = files.filter((file) => path.relative(ROOT, file) !== THIS_TEST).flatMap((file) => violations(file, readFileSync(file, 'utf8')));
    expect(found).toEqual([]);
  });

  it('catches a new spawn() of an unlisted program, a name missing from the list, and a literal path', () => {
    const file = path.join(ROOT, 'packages/agent/src/new-feature.ts');
    expect(violations(file, "import { spawn } from 'node:child_process';\nspawn('someprogram', []);")).toHaveLength(1);
    expect(violations(file, "import {\n  execFileSync,\n} from 'child_process';")).toHaveLength(1);
    expect(violations(file, "const cp = require('node:child_process');")).toHaveLength(1);
    expect(violations(file, "spawnProgram('someprogram', ['-x']);")).toEqual([
      "packages/agent/src/new-feature.ts: starts 'someprogram', which packages/programs/src/programs.json does not list (add it with its Debian package)",
    ]);
    expect(violations(file, "spawnProgram({ file: '/usr/bin/someprogram' }, []);")).toHaveLength(1);
    expect(violations(file, "chromium.launch({ executablePath: '/usr/bin/chromium' });")).toHaveLength(1);
    // what the code is allowed to do
    expect(violations(file, "import type { ChildProcess } from 'node:child_process';\nspawnProgram('ffmpeg', []);\nspawnProgram({ file: process.execPath }, []);")).toEqual([]);
  });
});
