import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, buildOnce, runNode } from '../support/processes.js';
import { expectTableRows } from './table-rows.js';

/**
 * `npm run bench:load -- --smoke`: 20 sessions across two real nodes on a real Redis and PostgreSQL
 * for 10 s. Like every benchmark test it checks that the bench runs and reports every figure, never
 * how fast anything was.
 */
const SCRIPT = path.join(ROOT, 'bench/dist/load/cluster-bench.js');

const ROWS = [
  /Sessions \(customer on one node, technician on the other\)/,
  /Frames scheduled \/ received/,
  /Frames lost in transit/,
  /One-way latency across two nodes p50 \/ p99/,
  /Relay added latency p50/,
  /Relay added latency p99/,
  /node-a CPU during load, mean \/ max/,
  /node-b CPU during load, mean \/ max/,
  /node-a memory during load/,
  /node-b memory during load/,
  /Load generator CPU/,
  /Host CPU busy during load/,
];

describe('bench load --smoke', () => {
  beforeAll(() => buildOnce(), 300_000);

  it('runs 20 sessions across two nodes, prints every figure with a number, and writes the table, the data and the SVG plot', async () => {
    const { code, stdout, stderr } = await runNode(SCRIPT, ['--smoke'], { timeoutMs: 280_000 });
    expect(code, `stdout:\n${stdout}\nstderr:\n${stderr}`).toBe(0);
    const rows = expectTableRows(stdout, ROWS);
    // every session really ran across the nodes: the frames were scheduled and the sessions survived
    expect(rows.find((l) => /Sessions ended early/.test(l))!.split('|')[2]!.trim()).toBe('0');
    const dir = /results written to (\S+)/.exec(stdout)?.[1];
    expect(dir).toMatch(/fernhilfe-bench-load-smoke-/);
    const json = JSON.parse(readFileSync(path.join(dir!, 'load.json'), 'utf8')) as { results: { samples: { procs: { name: string }[] }[] } };
    expect(json.results.samples.length).toBeGreaterThan(5);
    expect(json.results.samples[0]!.procs.map((p) => p.name)).toEqual(['node-a', 'node-b', 'redis', 'postgres']);
    const svg = readFileSync(path.join(dir!, 'load-cpu-memory.svg'), 'utf8');
    expect(svg).toMatch(/^<svg[\s\S]*node-a[\s\S]*<\/svg>\s*$/);
    expect(existsSync(path.join(dir!, 'load.md'))).toBe(true);
  }, 300_000);
});
