import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWine, type WineDesktop } from '@fernhilfe/testkit';
import { BUILT_IN_SERVER } from '../agent/build-fixture.js';
import { builtWindowsAgent, type BuiltWindowsAgent } from '../agent/build-windows-fixture.js';

/** Median and range of a few timings, for the log (never asserted: the machine is shared). */
function spread(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  return `median ${s[Math.floor(s.length / 2)]!.toFixed(0)} ms (${s[0]!.toFixed(0)}–${s.at(-1)!.toFixed(0)} ms, ${s.length} runs)`;
}

/**
 * The signed Windows program from `npm run build:agent -- --platform win-x64` runs under wine on
 * its own desktop: a GUI-subsystem program whose standard output wine writes to a file.
 */
describe('fernhilfe-quicksupport.exe under wine', () => {
  let wine: WineDesktop;
  let agent: BuiltWindowsAgent;
  beforeAll(async () => {
    agent = await builtWindowsAgent();
    wine = await startWine({ width: 800, height: 600 });
  }, 300_000);
  afterAll(async () => {
    await wine?.stop();
  });

  it('starts, prints its usage with the built-in server and exits, with no warning (no foreign code cache)', async () => {
    // wine explorer /desktop ends with 0 whatever the program's exit code: what shows is the output
    const run = wine.start(agent.file, ['--help']);
    await run.exited(180_000);
    const { stdout, stderr } = run.output();
    expect(stdout).toMatch(/^Usage: /);
    expect(stdout).toContain(BUILT_IN_SERVER);
    // a V8 code cache made on Linux would be rejected here ("Code cache data rejected"): the build leaves it out
    expect(stderr).toBe('');
  });

  it('start-up, measured as the lifetime of `--help` beside node.exe --version (printed)', async () => {
    const time = async (start: () => { exited(t?: number): Promise<number | null> }) => {
      const runs: number[] = [];
      for (let i = 0; i < 4; i++) {
        const t = performance.now();
        await start().exited(180_000);
        runs.push(performance.now() - t);
      }
      return spread(runs);
    };
    const program = await time(() => wine.start(agent.file, ['--help']));
    const node = await time(() => wine.start(wine.nodeExe, ['--version']));
    process.stdout.write(`under wine, start to exit: fernhilfe-quicksupport.exe --help ${program}; node.exe --version ${node}\n`);
  }, 240_000);
});
