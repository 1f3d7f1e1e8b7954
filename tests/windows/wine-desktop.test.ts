import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWine, type WineDesktop } from '@fernhilfe/testkit';

/**
 * The ground the Windows tests stand on: the pinned Windows Node from the registry runs under wine
 * on its own X screen, loads koffi's Windows module and sees the virtual desktop's size through
 * user32. Output comes back through a file, as stdout is not a usable pipe through wine.
 */
describe('Windows Node under wine', () => {
  let wine: WineDesktop;
  let dir: string;
  beforeAll(async () => {
    wine = await startWine({ width: 1024, height: 640 });
    dir = mkdtempSync(path.join(tmpdir(), 'fernhilfe-wine-test-'));
  });
  afterAll(async () => {
    await wine?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a script with koffi and reports the desktop size', async () => {
    const script = path.join(dir, 'size.cjs');
    const out = path.join(dir, 'size.json');
    writeFileSync(
      script,
      `const koffi = require(process.env.FERNHILFE_KOFFI_NATIVE);
const user32 = koffi.load('user32.dll');
const GetSystemMetrics = user32.func('int __stdcall GetSystemMetrics(int)');
require('fs').writeFileSync(process.argv[2], JSON.stringify({ platform: process.platform, version: process.version, w: GetSystemMetrics(0), h: GetSystemMetrics(1) }));
`,
    );
    const run = wine.node(script, [wine.winPath(out)]);
    expect(await run.exited(), JSON.stringify(run.output())).toBe(0);
    const got = JSON.parse(readFileSync(out, 'utf8'));
    expect(got).toEqual({ platform: 'win32', version: 'v22.23.3', w: 1024, h: 640 });
  });
});
