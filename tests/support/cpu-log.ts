import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/**
 * With FERNHILFE_TEST_CPU_LOG=<file> (docs/testing.md), each test file appends one JSON line: its wall
 * time and the CPU seconds of its worker and of the child processes it waited for (browsers, X
 * servers, servers, wine; not daemons that detach). What sorts the files into the groups of
 * vitest.config.ts: a file that uses far less CPU than wall time mostly waits and runs in parallel.
 */
const out = process.env.FERNHILFE_TEST_CPU_LOG;
const TICKS = 100; // USER_HZ on Linux

/** utime, stime, cutime, cstime of this process, in seconds (proc(5): fields 14 to 17) */
function cpu(): number[] {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ').slice(11, 15).map((t) => Number(t) / TICKS);
}

if (out) {
  let start = { wall: 0, cpu: [0, 0, 0, 0], file: '' };
  // eslint-disable-next-line no-empty-pattern -- vitest wants a destructuring pattern before the suite
  beforeAll(({}, suite) => {
    const file = 'filepath' in suite && typeof suite.filepath === 'string' ? suite.filepath : suite.name;
    start = { wall: performance.now(), cpu: cpu(), file: path.relative(process.cwd(), file) };
  });
  afterAll(() => {
    const [u, s, cu, cs] = cpu().map((v, i) => v - start.cpu[i]!);
    const line = { file: start.file, wallS: (performance.now() - start.wall) / 1000, selfS: u! + s!, childrenS: cu! + cs!, loadavg: readFileSync('/proc/loadavg', 'utf8').split(' ')[0] };
    appendFileSync(out, JSON.stringify(line) + '\n');
  });
}
