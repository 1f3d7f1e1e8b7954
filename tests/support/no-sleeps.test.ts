import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The guard of deterministic tests: test code waits for a condition (expect.poll, vi.waitFor,
 * Playwright's expect(locator), an event), never for a fixed time. The one place a fixed wait may
 * live is tests/support/quiet.ts (holdStill, expectNothingFor), where each caller names its reason.
 * It reads the sources as text: every file under tests/ and every *.test.ts beside the code.
 */
const ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const SKIP = new Set(['node_modules', 'dist', '.git', 'data', 'results', 'screenshots']);
const THE_HELPER = 'tests/support/quiet.ts';
const THIS_TEST = 'tests/support/no-sleeps.test.ts'; // its samples break every rule

function testSources(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    const rel = path.relative(ROOT, full).split(path.sep).join('/');
    if (entry.isDirectory()) testSources(full, out);
    else if (/\.(ts|tsx|mts|js|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts') && (rel.startsWith('tests/') || /\.test\.tsx?$/.test(entry.name))) out.push(rel);
  }
  return out;
}

const FIXED_WAITS: [RegExp, string][] = [
  [/\b(?:sleep|delay|pause)\(\s*[^)\s]/, 'a sleep(ms)'],
  [/setTimeout\(\s*(?:r|res|resolve|ok|done|wake)\s*,(?!\s*0\s*\))/, 'a promise resolved by setTimeout'],
  [/setTimeout\(\s*\(\)\s*=>\s*(?:r|res|resolve)\(\s*(?:undefined)?\s*\)\s*,/, 'a promise resolved by setTimeout'],
  [/\.waitForTimeout\(/, "Playwright's waitForTimeout"],
  [/from\s+['"](?:node:)?timers\/promises['"]/, 'timers/promises'],
];

/** Every fixed wait in one file, as `file:line: what`. */
export function fixedWaits(rel: string, text: string): string[] {
  if (rel === THE_HELPER) return [];
  const found: string[] = [];
  text.split('\n').forEach((line, i) => {
    const hit = FIXED_WAITS.find(([re]) => re.test(line));
    if (hit) found.push(`${rel}:${i + 1}: ${hit[1]} (${line.trim().slice(0, 100)})`);
  });
  return found;
}

describe('tests wait for conditions, not for fixed times', () => {
  it('no test file holds a fixed wait outside tests/support/quiet.ts', () => {
    const files = testSources(ROOT);
    expect(files.length, 'the walk found the tests').toBeGreaterThan(150);
    const found = files.filter((rel) => rel !== THIS_TEST).flatMap((rel) => fixedWaits(rel, readFileSync(path.join(ROOT, rel), 'utf8')));
    expect(found, 'wait for the condition (expect.poll, vi.waitFor, an event); if time itself is what the test needs, use holdStill or expectNothingFor from tests/support/quiet.ts').toEqual([]);
  });

  it('catches each kind of fixed wait, and lets the named helper, timeouts and polling by condition through', () => {
    const file = 'tests/session/new.test.ts';
    for (const sample of [
      'await sleep(200);',
      'await new Promise((r) => setTimeout(r, 300));',
      'await new Promise<void>((resolve) => setTimeout(resolve, ms));',
      'await new Promise((r) => setTimeout(() => r(undefined), 50));',
      'await page.waitForTimeout(500);',
      "import { setTimeout as wait } from 'node:timers/promises';",
      'await Promise.race([closed, delay(1_500)]);',
    ]) expect(fixedWaits(file, sample), sample).toHaveLength(1);
    expect(fixedWaits(file, 'await sleep(200);')).toEqual(['tests/session/new.test.ts:1: a sleep(ms) (await sleep(200);)']);
    for (const sample of [
      "await holdStill(300, 'the back-off the server asked for');",
      "await expectNothingFor(700, 'keys do not reach the screen', () => expect(seen).toEqual([]));",
      'await expect.poll(() => rows.length).toBe(2);',
      "await vi.waitFor(() => expect(frames).toHaveLength(3), { timeout: 5_000 });",
      'const timer = setTimeout(() => reject(new Error(`timed out waiting for the frame`)), 10_000);',
      'const tick = () => new Promise((r) => setTimeout(r, 0));',
      'const timer = setTimeout(() => resolve({ done: false }), ms); // a deadline that answers "not yet"',
    ]) expect(fixedWaits(file, sample), sample).toEqual([]);
    expect(fixedWaits(THE_HELPER, 'await new Promise((resolve) => setTimeout(resolve, ms));')).toEqual([]);
  });
});
