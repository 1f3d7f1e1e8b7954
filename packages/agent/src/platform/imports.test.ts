import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The platform rule (docs/agent.md, "Adding a platform"): a platform is a folder here, and the only
 * source outside it that imports from it is the table, platform/index.ts. A backend imports only its
 * own folder and the shared platform/ files (types, errors), never a feature or another platform.
 * Tests are exempt (a backend's own tests reach into it). Reads the sources as text.
 */
const ROOT = path.resolve(fileURLToPath(new URL('../../../..', import.meta.url)));
const PLATFORM = path.join(ROOT, 'packages', 'agent', 'src', 'platform');
const TABLE = path.join(PLATFORM, 'index.ts');
const SKIP = new Set(['node_modules', 'dist', '.git', 'data', 'results', 'screenshots', 'tests']);
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
/** `from '…'`, `import '…'`, `import('…')`, `require('…')`, `/// <reference path="…" />` */
const SPECIFIER = /\bfrom\s+['"]([^'"]+)['"]|\bimport\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|\brequire\(\s*['"]([^'"]+)['"]\s*\)|<reference\s+path=['"]([^'"]+)['"]/g;

function sources(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) sources(full, out);
    else if (SOURCE.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) out.push(full);
  }
  return out;
}

/** The platform folder (e.g. "x11") a path lies in, or undefined outside every platform folder. */
function platformOf(file: string): string | undefined {
  const rel = path.relative(PLATFORM, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  const [first, ...rest] = rel.split(path.sep);
  return rest.length > 0 ? first : undefined;
}

/** Every broken rule in one file: where it imports from, by relative specifier. */
export function violations(file: string, text: string): string[] {
  const found: string[] = [];
  const rel = path.relative(ROOT, file);
  const from = platformOf(file);
  for (const m of text.matchAll(SPECIFIER)) {
    const spec = m.slice(1).find((s) => s !== undefined)!;
    if (!spec.startsWith('.')) continue;
    const target = path.resolve(path.dirname(file), spec);
    const to = platformOf(target);
    if (to !== undefined && to !== from && file !== TABLE) found.push(`${rel}: imports ${spec}; only platform/index.ts (the table) may import from platform/${to}/`);
    if (from !== undefined && to !== from && (path.relative(PLATFORM, target).startsWith('..') || to !== undefined)) {
      found.push(`${rel}: imports ${spec}; a platform imports only its own folder and platform/types.ts, platform/errors.ts`);
    }
  }
  return found;
}

describe('the platform rule: one folder per platform, reached only through the table', () => {
  it('no source outside a platform folder imports from it except platform/index.ts, and a platform imports nothing outside platform/', () => {
    const files = sources(ROOT);
    expect(files.length, 'the walk found the sources').toBeGreaterThan(300);
    expect(files.filter((f) => platformOf(f) === 'x11').length, 'the walk found the X11 backend').toBeGreaterThan(10);
    expect(files.flatMap((file) => violations(file, readFileSync(file, 'utf8')))).toEqual([]);
  });

  it('catches a feature, the package entry or another platform importing a backend, and a backend reaching out', () => {
    const at = (...p: string[]) => path.join(ROOT, 'packages', 'agent', 'src', ...p);
    expect(violations(at('input', 'feature.ts'), "import { X11Injector } from '../platform/x11/injector.js';")).toHaveLength(1);
    expect(violations(at('index.ts'), "export { X11ScreenCapture } from './platform/x11/capture.js';")).toHaveLength(1);
    expect(violations(at('app', 'feature-kit.ts'), "const m = await import('../platform/x11/index.js');")).toHaveLength(1);
    expect(violations(at('platform', 'windows', 'capture.ts'), "import { X11Connection } from '../x11/client.js';")).toHaveLength(2);
    expect(violations(at('platform', 'x11', 'capture.ts'), "import type { AgentFeature } from '../../session/feature.js';")).toHaveLength(1);
  });

  it('lets the table, a backend inside its own folder and the shared platform files through', () => {
    const at = (...p: string[]) => path.join(ROOT, 'packages', 'agent', 'src', ...p);
    expect(violations(at('platform', 'index.ts'), "import { x11 } from './x11/index.js';")).toEqual([]);
    expect(violations(at('platform', 'x11', 'capture.ts'), "import { X11Connection } from './client.js';\nimport type { ScreenCapture } from '../types.js';\nimport { CaptureError } from '../errors.js';")).toEqual([]);
    expect(violations(at('screen', 'feature.ts'), "import type { ScreenCapture } from '../platform/types.js';\nimport { openScreenCapture } from '../platform/index.js';")).toEqual([]);
  });
});
