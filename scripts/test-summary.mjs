// Prints the suite's closing line ("N passed, N failed") from vitest's JSON report.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const file = process.argv[2];
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch {
  console.log('tests: 0 passed, 1 failed (no test report was written)');
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
const failed = (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
console.log(`groups: ${groupSpans(report.testResults ?? []).join(', ')}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);

/**
 * Each group's wall time (first start to last end) and file count, the groups of
 * tests/support/suite-groups.json (docs/testing.md).
 * @param {{ name: string, startTime: number, endTime: number }[]} results
 */
function groupSpans(results) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const lists = JSON.parse(readFileSync(path.join(root, 'tests/support/suite-groups.json'), 'utf8'));
  const matches = (rel, entries) => entries.some((e) => (e.endsWith('/') ? rel.startsWith(e) : rel === e));
  /** @type {Record<string, { start: number, end: number, files: number }>} */
  const spans = {};
  // the group each file ran in, as vitest.config.ts puts it
  for (const r of results) {
    const rel = path.relative(root, r.name).split(path.sep).join('/');
    const group = matches(rel, lists.serial) ? 'serial' : matches(rel, lists.heavy) ? 'heavy' : 'parallel';
    const span = (spans[group] ??= { start: Infinity, end: 0, files: 0 });
    span.start = Math.min(span.start, r.startTime);
    span.end = Math.max(span.end, r.endTime);
    span.files += 1;
  }
  return ['parallel', 'heavy', 'serial'].filter((g) => spans[g]).map((g) => [g, spans[g]]).map(([g, s]) => `${g} ${Math.round((s.end - s.start) / 1000)} s (${s.files} files)`);
}
