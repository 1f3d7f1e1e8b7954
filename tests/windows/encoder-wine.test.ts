import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWine, type WineDesktop } from '@fernhilfe/testkit';
import { bundleCjs } from '../support/bundle-cjs.js';
import { builtEncoder, changedBand, decodeH264, frameInput, meanDiff, parseRecords, rowsFrameInput, testPicture } from '../agent/support/encoder-records.js';

/**
 * The Windows side of the bundled encoder, under wine: the pinned Windows Node starts
 * fernhilfe-encoder.exe with pipes (as X264Process does on Windows), writes I420 frames and reads
 * the records back; this test decodes them. And the session folder's end on Windows: a folder
 * holding a loaded DLL cannot be removed by the process itself, so its `--remove-after` copy does
 * it once the process is gone. Results come back through files (Node's stdout is no pipe here).
 */
describe('the Windows encoder and session folder under wine', () => {
  let wine: WineDesktop;
  let dir: string;
  beforeAll(async () => {
    builtEncoder('win-x64'); // built before the desktop starts (minutes on a fresh cache)
    wine = await startWine({ width: 640, height: 480 });
    dir = mkdtempSync(path.join(tmpdir(), 'fernhilfe-wine-encoder-'));
  }, 900_000);
  /** One CommonJS file of a driver in ./support, for the Windows Node. */
  async function bundle(driver: string): Promise<string> {
    return bundleCjs(fileURLToPath(new URL(`./support/${driver}`, import.meta.url)), path.join(dir, driver.replace(/\.ts$/, '.cjs')));
  }
  afterAll(async () => {
    await wine?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('fernhilfe-encoder.exe, started by Windows Node with pipes, turns frames into decodable records', async () => {
    const [w, h] = [320, 240];
    const pictures = Array.from({ length: 6 }, (_, n) => testPicture(w, h, n));
    writeFileSync(path.join(dir, 'frames.bin'), Buffer.concat(pictures.map((p, n) => frameInput(p, n === 4))));
    const script = await bundle('encode-driver.ts');
    const run = wine.node(script, [wine.winPath(builtEncoder('win-x64')), String(w), String(h), wine.winPath(path.join(dir, 'frames.bin')), wine.winPath(path.join(dir, 'out.bin')), wine.winPath(path.join(dir, 'report.json'))]);
    expect(await run.exited(), JSON.stringify(run.output())).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8'))).toEqual({ code: 0, err: '', platform: 'win32' });
    const records = parseRecords(readFileSync(path.join(dir, 'out.bin')));
    expect(records.map((r) => r.keyframe)).toEqual([true, false, false, false, true, false]);
    const { frames, probe } = await decodeH264(Buffer.concat(records.map((r) => r.data)), w, h);
    expect(probe.trim()).toBe('stream|profile=High|width=320|height=240|color_range=pc|color_space=bt709|color_transfer=iec61966-2-1|color_primaries=bt709');
    expect(frames).toHaveLength(6);
    frames.forEach((f, n) => expect(meanDiff(f, pictures[n]!), `frame ${n} against its source`).toBeLessThan(2));

    // the same pictures as changed rows only (ROWS): the same records, byte for byte
    const rowsOf = (n: number): Buffer => {
      const band = changedBand(pictures[n - 1]!, pictures[n]!, w, h);
      return rowsFrameInput(pictures[n]!, w, h, band.first, band.count, n === 4 ? 4 | 1 : 4);
    };
    writeFileSync(path.join(dir, 'rows.bin'), Buffer.concat(pictures.map((p, n) => (n === 0 ? frameInput(p) : rowsOf(n)))));
    const rows = wine.node(script, [wine.winPath(builtEncoder('win-x64')), String(w), String(h), wine.winPath(path.join(dir, 'rows.bin')), wine.winPath(path.join(dir, 'rows-out.bin')), wine.winPath(path.join(dir, 'rows-report.json'))]);
    expect(await rows.exited(), JSON.stringify(rows.output())).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, 'rows-report.json'), 'utf8'))).toEqual({ code: 0, err: '', platform: 'win32' });
    expect(parseRecords(readFileSync(path.join(dir, 'rows-out.bin'))).map((r) => r.data.toString('hex'))).toEqual(records.map((r) => r.data.toString('hex')));
  }, 180_000);

  it("the agent's X264Process on Windows: IDR on request, one codec string, decodable", async () => {
    const [w, h] = [320, 240];
    const pictures = Array.from({ length: 6 }, (_, n) => testPicture(w, h, n));
    const input = path.join(dir, 'frames-x264process.bin');
    writeFileSync(input, Buffer.concat(pictures.map((p, n) => frameInput(p, n === 3))));
    const script = await bundle('x264-process-driver.ts');
    const [out, report] = [path.join(dir, 'x264process.bin'), path.join(dir, 'x264process.json')];
    const run = wine.node(script, [String(w), String(h), wine.winPath(input), wine.winPath(out), wine.winPath(report)], { env: { FERNHILFE_ENCODER: wine.winPath(builtEncoder('win-x64')) } });
    expect(await run.exited(), JSON.stringify(run.output())).toBe(0);
    expect(JSON.parse(readFileSync(report, 'utf8'))).toEqual({ codecs: [expect.stringMatching(/^avc1\.64[0-9A-F]{4}$/)], platform: 'win32' });
    const records = parseRecords(readFileSync(out));
    expect(records.map((r) => r.keyframe)).toEqual([true, false, false, true, false, false]);
    const { frames } = await decodeH264(Buffer.concat(records.map((r) => r.data)), w, h);
    expect(frames).toHaveLength(6);
    frames.forEach((f, n) => expect(meanDiff(f, pictures[n]!), `frame ${n} against its source`).toBeLessThan(2));
  }, 180_000);

  it('--remove-after removes the session folder holding a loaded DLL once the program has ended', async () => {
    const script = await bundle('folder-driver.ts');
    const report = path.join(dir, 'folder.json');
    const run = wine.node(script, [wine.winPath(report)]);
    expect(await run.exited(), JSON.stringify(run.output())).toBe(0);
    const got = JSON.parse(readFileSync(report, 'utf8')) as { dir: string; removable: string; left: string[] };
    // the premise: while the DLL is loaded, the folder cannot be removed by its own process
    expect(got.removable).not.toBe('yes');
    expect(got.left).toEqual(['koffi.node']);
    const match = /^C:\\(.*)$/i.exec(got.dir);
    expect(match, `the session folder is on C: (${got.dir})`).not.toBeNull();
    const onLinux = path.join(wine.driveC, ...match![1]!.split('\\'));
    expect(path.basename(onLinux)).toMatch(/^fernhilfe-qs-/);
    await expect.poll(() => existsSync(onLinux), { timeout: 60_000, message: `the remover took ${onLinux} away` }).toBe(false);
  }, 180_000);
});
