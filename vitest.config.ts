import { defineConfig } from 'vitest/config';

/**
 * `npm test` runs every test. `npm run test:unit` (`--mode unit`) runs only the fast ones beside the
 * code: no browser, database server, X server or network namespace (storage tests then use SQLite only,
 * fuzzers a tenth of their inputs).
 */
export default defineConfig(({ mode }) => ({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: mode === 'unit' ? UNIT : [...UNIT, 'tests/**/*.test.ts'],
    // the unit run feeds the fuzzers a tenth of their inputs (FUZZ_SCALE), npm test all of them
    env: mode === 'unit' ? { FERNHILFE_TEST_SCOPE: 'unit', FUZZ_SCALE: process.env.FUZZ_SCALE ?? '0.1' } : {},
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
}));

const UNIT = ['packages/**/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'bench/src/**/*.test.ts', 'tools/*/src/**/*.test.ts'];
