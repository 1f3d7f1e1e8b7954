import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, buildOnce, runNode } from '../support/processes.js';

/**
 * `npm run bench -- --smoke` (bench/dist/compare.js): both stacks, Fernhilfe and
 * x11vnc + noVNC, against one Xvfb through the four workloads. Not a speed test: it checks that the
 * comparison runs, that every workload has every metric with numbers for both stacks, and that the
 * plot renders.
 */
const BENCH = path.join(ROOT, 'bench/dist/compare.js');
const WORKLOADS = ['(a) idle desktop', '(b) typing and scrolling', '(c) a window dragged', '(d) full-screen animation'];
const METRICS = ['glass-to-glass latency, median', 'frames per second at the viewer', 'bytes on the wire to the viewer', 'picture quality (PSNR', 'CPU, capturing side', 'connect to first picture'];

describe('bench --smoke (Fernhilfe vs noVNC)', () => {
  beforeAll(() => {
    buildOnce();
    for (const app of ['quicksupport', 'console']) {
      if (!existsSync(path.join(ROOT, 'apps', app, 'dist', 'index.html'))) throw new Error(`apps/${app} is not built: run \`npm run build\` first`);
    }
  }, 300_000);

  it('runs both stacks through the four workloads and prints every metric for both', async () => {
    const { code, stdout, stderr } = await runNode(BENCH, ['--smoke'], { timeoutMs: 280_000 });
    expect(code, `stdout:\n${stdout}\nstderr:\n${stderr}`).toBe(0);
    const rows = stdout.split('\n').filter((line) => line.startsWith('| ('));
    for (const w of WORKLOADS) {
      for (const m of METRICS) {
        const row = rows.find((line) => line.includes(w) && line.includes(m));
        expect(row, `a row for ${w}: ${m}`).toBeDefined();
        const [, , fernhilfe, novnc] = row!.split('|');
        expect(fernhilfe, `Fernhilfe's ${m} in ${w}`).toMatch(/\d/);
        expect(novnc, `noVNC's ${m} in ${w}`).toMatch(/\d/);
      }
    }
    // the bytes of both stacks moved: each viewer really received pictures
    const bytes = rows.filter((line) => line.includes('bytes on the wire'));
    for (const row of bytes) expect(row).not.toMatch(/\| 0\.00 kB\/s \|/);
    expect(stdout).toMatch(/plot rendered, \d+ bytes of SVG/);
  }, 300_000);
});
