// @ts-check
import { spawnProgramSync } from '@fernhilfe/programs';

/** @param {number[]} runs */
function summary(runs) {
  const sorted = [...runs].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? NaN;
  return `${median.toFixed(0)} ms (median of ${sorted.length}; ${sorted[0]?.toFixed(0)}–${sorted.at(-1)?.toFixed(0)} ms)`;
}

/**
 * Start-up time of the built program, printed, never asserted (the machine may be busy).
 * Linux: `FILE --help` from exec to exit, 7 runs after one warm-up.
 * Windows: `FILE --help` under wine on a fresh desktop of the test kit (a GUI program's standard
 * output cannot be watched, so the time is the process's lifetime, from start to exit), 5 runs
 * after one warm-up, beside the pinned node.exe's own `--version` started the same way: the
 * difference is what the program adds; the rest is wine's process start.
 * @param {string} file
 * @param {{ windows: boolean }} target
 * @returns {Promise<string>}
 */
export async function measureStartup(file, target) {
  if (target.windows) return measureUnderWine(file);
  const runs = [];
  for (let i = 0; i < 8; i++) {
    const t = performance.now();
    const r = spawnProgramSync({ file }, ['--help'], { stdio: 'ignore' });
    if (r.status !== 0) return `--help exited with ${r.status ?? r.signal}`;
    if (i > 0) runs.push(performance.now() - t);
  }
  return `\`--help\` runs in ${summary(runs)}`;
}

/** @param {string} file */
async function measureUnderWine(file) {
  /** @type {typeof import('@fernhilfe/testkit')} */
  let testkit;
  try {
    testkit = await import('@fernhilfe/testkit');
  } catch {
    return 'not measured: the test kit is not built (run `npm run build` first; it starts wine on its own X screen)';
  }
  const wine = await testkit.startWine({ width: 800, height: 600 });
  try {
    /** @param {() => { exited(): Promise<number | null> }} start */
    const time = async (start) => {
      const runs = [];
      for (let i = 0; i < 6; i++) {
        const t = performance.now();
        const code = await start().exited();
        if (code !== 0) return `exited with ${code}`;
        if (i > 0) runs.push(performance.now() - t);
      }
      return summary(runs);
    };
    const program = await time(() => wine.start(file, ['--help']));
    const node = await time(() => wine.start(wine.nodeExe, ['--version']));
    return `\`--help\` under wine, start to exit: ${program}; node.exe --version the same way: ${node}`;
  } finally {
    await wine.stop();
  }
}
