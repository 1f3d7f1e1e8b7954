import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, buildOnce, runNode } from '../support/processes.js';
import { expectTableRows } from './table-rows.js';

/**
 * `npm run bench:abuse -- --smoke`: 300 unauthenticated connections and register -> end loops from 5
 * addresses while 4 real sessions stream, for a few seconds. Like every benchmark test it checks that
 * the bench runs and reports every figure, never how fast anything was.
 */
const SCRIPT = path.join(ROOT, 'bench/dist/abuse/abuse.js');

const ROWS = [
  /Unauthenticated connections held at once/,
  /header claiming 1 MiB/,
  /Connections opened by the flood \/ refused/,
  /loops from 5 addresses .*attempts per second/,
  /^\| {3}registered/,
  /refused by the registration limit/,
  /refused for a foreign Origin/,
  /Server memory, RSS high-water/,
  /one-way latency p50, quiet \/ flood/,
  /p99, quiet \/ flood/,
  /p99 under flood \/ p99 quiet/,
  /frames lost \(sent, never delivered\)/,
  /frames still on their way/,
  /frames not sent in time/,
  /Real sessions ended early/,
  /Database growth during the flood, bytes/,
  /rows: sessions \/ audit entries \/ receipt tokens/,
  /CPU under flood/,
];

describe('bench abuse --smoke', () => {
  beforeAll(() => buildOnce(), 300_000);

  it('runs the flood next to real sessions, prints every figure with a number, and writes the table and the data', async () => {
    const { code, stdout, stderr } = await runNode(SCRIPT, ['--smoke'], { timeoutMs: 170_000 });
    expect(code, `stdout:\n${stdout}\nstderr:\n${stderr}`).toBe(0);
    const rows = expectTableRows(stdout, ROWS);
    // the flood really reached the server: connections held, loops answered, foreign pages refused
    const value = (re: RegExp) => Number(rows.find((l) => re.test(l))!.split('|')[2]!.trim().split(' ')[0]);
    expect(value(/held at once/)).toBe(300);
    expect(value(/refused for a foreign Origin/)).toBeGreaterThan(0);
    expect(value(/^\| {3}registered/) + value(/refused by the registration limit/)).toBeGreaterThan(0);
    const dir = /results written to (\S+)/.exec(stdout)?.[1];
    expect(dir).toMatch(/fernhilfe-bench-abuse-smoke-/);
    const json = JSON.parse(readFileSync(path.join(dir!, 'abuse.json'), 'utf8')) as { runs: { serverRssHighWaterKiB: number }[] };
    expect(json.runs).toHaveLength(1);
    expect(json.runs[0]!.serverRssHighWaterKiB).toBeGreaterThan(0);
    expect(existsSync(path.join(dir!, 'abuse.md'))).toBe(true);
  }, 200_000);
});
