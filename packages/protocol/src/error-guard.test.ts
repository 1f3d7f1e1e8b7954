import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The guard of the one error base (base-error.ts): outside tests, no source throws a plain `Error`
 * and no class extends `Error` directly; each error says why with a reason from its class's closed
 * list. It reads the sources as text, so it also covers the .mjs build scripts the compiler does not check.
 */
const ROOT = path.resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const AREAS = ['packages', 'apps', 'bench', 'tools', 'scripts'];
const SKIP = new Set(['node_modules', 'dist', '.git', 'data', 'results', 'screenshots']);
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const TEST = /\.test\.(ts|tsx|js|mjs)$/;
const BASE = 'packages/protocol/src/base-error.ts';

/**
 * @fernhilfe/programs has no dependencies by design (scripts/test.sh runs it before \`npm ci\`), so its
 * ProgramMissingError and RegistryPackageError cannot derive from the base in @fernhilfe/protocol (its plain throws are still refused).
 */
const NO_DEPENDENCIES = ['packages/programs/src/index.js', 'packages/programs/src/registry.js'];

const PLAIN_THROW = /\bthrow\s+(?:new\s+)?Error\s*\(/g;
const EXTENDS_ERROR = /\bclass\s+[\w$]+(?:\s*<[^{]*?>)?\s+extends\s+Error\s*\{/g;

function sources(dir: string, out: string[] = []): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out; // an area this checkout does not have (tools/)
  }
  for (const entry of entries) {
    if (SKIP.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) sources(full, out);
    else if (SOURCE.test(entry.name) && !TEST.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

const lineOf = (text: string, index: number) => text.slice(0, index).split('\n').length;

export function violations(rel: string, text: string): string[] {
  if (rel === BASE) return [];
  const found: string[] = [];
  for (const m of text.matchAll(PLAIN_THROW)) {
    found.push(`${rel}:${lineOf(text, m.index)}: throws a plain Error; throw the module's error class (a FernhilfeError with a reason) or InvariantError`);
  }
  for (const m of NO_DEPENDENCIES.includes(rel) ? [] : text.matchAll(EXTENDS_ERROR)) {
    found.push(`${rel}:${lineOf(text, m.index)}: a class extends Error; derive it from FernhilfeError (packages/protocol/src/base-error.ts) with a reason union`);
  }
  return found;
}

describe('every error derives from the one base', () => {
  it('no source outside tests throws a plain Error or extends Error', () => {
    const files = AREAS.flatMap((area) => sources(path.join(ROOT, area)));
    expect(files.length, 'the walk found the sources').toBeGreaterThan(300);
    const found = files.flatMap((file) => {
      const rel = path.relative(ROOT, file).split(path.sep).join('/');
      return violations(rel, readFileSync(file, 'utf8'));
    });
    expect(found).toEqual([]);
  });

  it('catches a plain throw and a class that extends Error, and lets the base and its subclasses be', () => {
    const rel = 'packages/agent/src/new-feature.ts';
    expect(violations(rel, "if (!ok) throw new Error('broken');")).toEqual([
      "packages/agent/src/new-feature.ts:1: throws a plain Error; throw the module's error class (a FernhilfeError with a reason) or InvariantError",
    ]);
    expect(violations(rel, 'const a = 1;\nthrow Error(`x ${a}`);')).toHaveLength(1);
    expect(violations(rel, 'export class DiskError extends Error {\n}')).toHaveLength(1);
    expect(violations(rel, 'class Box<T extends object> extends Error{}')).toHaveLength(1);
    // what the code is allowed to do
    expect(violations(rel, "class DiskError extends FernhilfeError<'full'> {}\nthrow new DiskError('full', 'disk full');\nthrow new InvariantError('x');")).toEqual([]);
    expect(violations(rel, 'throw new RangeError("n"); interface RawXError extends Error { code: number }')).toEqual([]);
    expect(violations(BASE, 'export abstract class FernhilfeError<R extends string> extends Error {')).toEqual([]);
  });
});
