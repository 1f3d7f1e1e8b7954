import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, buildOnce, runNode } from '../support/processes.js';

/**
 * `npm run bench -- --smoke` (bench/dist/compare.js): both stacks, Fernhilfe and x11vnc + noVNC,
 * against one Xvfb, one run of typing and drag on the lan and dsl profiles, by default as two machines
 * on one (namespaces, pinned cores). Not a speed test: it checks that the comparison runs in the mode it
 * says, that every cell has every metric with numbers for both stacks, that the path RTT, the goals and
 * the machine's load are printed, and that the plot renders. Where namespaces cannot be made the bench
 * says why and runs colocated (lan only); the test then checks that.
 */
const BENCH = path.join(ROOT, 'bench/dist/compare.js');
const WORKLOADS = ['(b) typing and scrolling', '(c) a window dragged'];
const METRICS = ['glass-to-glass latency, median', 'frames per second at the viewer', 'bytes on the wire to the viewer', 'picture quality (PSNR', 'longest stall', 'CPU, capturing side', 'connect to first picture'];

/** The rows of one profile's table (from its ### heading to the next heading). */
function profileRows(stdout: string, profile: string): string[] {
  const start = stdout.indexOf(`\n### ${profile}:`);
  if (start < 0) return [];
  const end = stdout.indexOf('\n#', start + 5);
  return stdout.slice(start, end < 0 ? undefined : end).split('\n').filter((line) => line.startsWith('| ('));
}

describe('bench --smoke (Fernhilfe vs noVNC)', () => {
  beforeAll(() => {
    buildOnce();
    for (const app of ['quicksupport', 'console']) {
      if (!existsSync(path.join(ROOT, 'apps', app, 'dist', 'index.html'))) throw new Error(`apps/${app} is not built: run \`npm run build\` first`);
    }
  }, 300_000);

  it('runs both stacks through two workloads on lan and dsl and prints every metric, the path RTT, the goals and the load', async () => {
    const { code, stdout, stderr } = await runNode(BENCH, ['--smoke'], { timeoutMs: 280_000 });
    expect(code, `stdout:\n${stdout}\nstderr:\n${stderr}`).toBe(0);
    const twoMachines = stdout.includes('two machines on one: customer');
    if (!twoMachines) expect(stdout, 'the bench says why it runs colocated').toMatch(/two machines on one are not possible here, running colocated \(lan only\): .+/);
    const profiles = twoMachines ? ['lan', 'dsl'] : ['lan'];
    for (const profile of profiles) {
      const rows = profileRows(stdout, profile);
      expect(stdout, `${profile}: path RTT`).toMatch(new RegExp(`### ${profile}:[^\\n]*\\n\\npath RTT [^\\n]*: \\d+(\\.\\d)? ms`));
      for (const w of WORKLOADS) {
        for (const m of METRICS) {
          const row = rows.find((line) => line.includes(w) && line.includes(m));
          expect(row, `${profile}: a row for ${w}: ${m}`).toBeDefined();
          const [, , fernhilfe, novnc] = row!.split('|');
          expect(fernhilfe, `${profile}: Fernhilfe's ${m} in ${w}`).toMatch(/\d/);
          expect(novnc, `${profile}: noVNC's ${m} in ${w}`).toMatch(/\d/);
        }
      }
      // the bytes of both stacks moved: each viewer really received pictures
      for (const row of rows.filter((line) => line.includes('bytes on the wire'))) expect(row, profile).not.toMatch(/\| 0\.00 kB\/s/);
    }
    if (twoMachines) expect(stdout, 'no colocated profile table in the two-machine mode').toContain('### dsl:');
    // the goals of issue 17, each marked, and the machine's load before and during
    expect(stdout).toMatch(/\| lan \| \(c\) a window dragged continuously: latency median ≤ 0\.7x noVNC's \|[^\n]*\| (met|NO) \|/);
    expect(stdout).toMatch(/Machine before the run \(2 s\): load \d+\.\d\d, machine \d+ % busy/);
    expect(stdout).toMatch(/\| lan \| typing \| \d+\.\d\d/);
    expect(stderr, 'progress with an ETA').toMatch(/\[\d+\/\d+\] run 1 lan typing (Fernhilfe|noVNC): .*ETA \d+:\d\d/);
    expect(stdout).toMatch(/smoke run: results not written \(plot rendered, \d+ bytes of SVG\)/);
  }, 300_000);

  it('--colocated keeps the one-machine mode: everything on 127.0.0.1, lan only', async () => {
    const { code, stdout, stderr } = await runNode(BENCH, ['--smoke', '--colocated', '--only', 'typing'], { timeoutMs: 200_000 });
    expect(code, `stdout:\n${stdout}\nstderr:\n${stderr}`).toBe(0);
    expect(stdout).toMatch(/^colocated: everything in the root namespace on 127\.0\.0\.1, unpinned/m);
    expect(stdout).not.toContain('### dsl:');
    const rows = profileRows(stdout, 'lan');
    const latency = rows.find((line) => line.includes('(b) typing and scrolling') && line.includes('glass-to-glass latency, median'));
    expect(latency, 'a latency row for typing on lan').toBeDefined();
    const [, , fernhilfe, novnc] = latency!.split('|');
    expect(fernhilfe).toMatch(/\d+ ms/);
    expect(novnc).toMatch(/\d+ ms/);
    expect(stdout).toMatch(/smoke run: results not written/);
  }, 240_000);
});
