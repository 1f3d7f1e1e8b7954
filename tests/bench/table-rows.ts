import { expect } from 'vitest';

/** The `| …` rows of a bench's printed table; every metric has a row whose value holds a number. */
export function expectTableRows(stdout: string, metrics: RegExp[]): string[] {
  const rows = stdout.split('\n').filter((l) => l.startsWith('| '));
  for (const metric of metrics) {
    const row = rows.find((l) => metric.test(l));
    expect(row, `a row for ${metric}`).toBeDefined();
    expect(row!.split('|')[2], `the value of ${metric}`).toMatch(/\d/);
    expect(row).not.toMatch(/NaN|undefined/);
  }
  return rows;
}
