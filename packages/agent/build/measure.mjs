// @ts-check
import { spawnProgramSync } from '@fernhilfe/programs';

/**
 * Start-up time of the built program: `FILE --help` from exec to exit, 7 runs after one warm-up,
 * median and slowest. Printed, never asserted (the machine may be busy).
 * @param {string} file
 */
export function measureStartup(file) {
  const runs = [];
  for (let i = 0; i < 8; i++) {
    const t = performance.now();
    const r = spawnProgramSync({ file }, ['--help'], { stdio: 'ignore' });
    if (r.status !== 0) return `--help exited with ${r.status ?? r.signal}`;
    if (i > 0) runs.push(performance.now() - t);
  }
  runs.sort((a, b) => a - b);
  return `\`--help\` runs in ${runs[3]?.toFixed(0)} ms (median of 7; slowest ${runs[6]?.toFixed(0)} ms)`;
}
