import { readFileSync } from 'node:fs';
import { defineConfig, defaultExclude } from 'vitest/config';
import LongestFirst from './tests/support/sequencer.js';

/**
 * `npm test` runs every test. `npm run test:unit` (`--mode unit`) runs only the fast ones beside the
 * code: no browser, database server, X server or network namespace (storage tests then use SQLite only,
 * fuzzers a tenth of their inputs).
 *
 * `npm test` runs the files in three groups, one after the other (docs/testing.md): `parallel` (most
 * files: they wait on browsers, servers and processes far more than they compute), `heavy` (files that
 * keep a core busy, e.g. wine, the fuzzers, the bench smokes: two at a time, one per core) and
 * `serial` (files that measure a link or a rate against the clock: alone). The lists are in
 * tests/support/suite-groups.json; FERNHILFE_TEST_WORKERS changes the parallel group's workers.
 */
export default defineConfig(({ mode }) => ({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    // with projects (npm test), each project names its files: `extends: true` would add these to them
    include: mode === 'unit' ? UNIT : [],
    // the unit run feeds the fuzzers a tenth of their inputs (FUZZ_SCALE), npm test all of them
    env: mode === 'unit' ? { FERNHILFE_TEST_SCOPE: 'unit', FUZZ_SCALE: process.env.FUZZ_SCALE ?? '0.1' } : {},
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    setupFiles: ['tests/support/cpu-log.ts'],
    sequence: { sequencer: LongestFirst },
    projects:
      mode === 'unit'
        ? undefined
        : [
            group('parallel', 0, Number(process.env.FERNHILFE_TEST_WORKERS ?? 3), [...UNIT, 'tests/**/*.test.ts'], [...globs(GROUPS.heavy), ...globs(GROUPS.serial)]),
            group('heavy', 1, 2, globs(GROUPS.heavy), []),
            group('serial', 2, 1, globs(GROUPS.serial), []),
          ],
  },
}));

const UNIT = ['packages/**/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'bench/src/**/*.test.ts', 'tools/*/src/**/*.test.ts'];

const GROUPS = JSON.parse(readFileSync(new URL('./tests/support/suite-groups.json', import.meta.url), 'utf8')) as { heavy: string[]; serial: string[] };

/** a list entry as a glob: a folder (ending in /) is every test file under it */
function globs(entries: string[]): string[] {
  return entries.map((e) => (e.endsWith('/') ? `${e}**/*.test.ts` : e));
}

function group(name: string, groupOrder: number, maxWorkers: number, include: string[], exclude: string[]) {
  return { extends: true as const, test: { name, include, exclude: [...defaultExclude, ...exclude], maxWorkers, sequence: { groupOrder } } };
}
