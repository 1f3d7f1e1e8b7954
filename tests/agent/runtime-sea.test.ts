import { mkdtempSync, readdirSync, rmSync, writeFileSync, copyFileSync, chmodSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { execProgramSync } from '@fernhilfe/programs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtEncoder } from './support/encoder-records.js';

/**
 * The embedded encoder in a real single executable (Node's SEA with the asset 'encoder', as the
 * build makes it): the program finds it without FERNHILFE_ENCODER, runs it from an in-memory file
 * (/proc/<pid>/fd/<n>), and no file with its name exists in /dev/shm, during the run or after.
 */
describe('the encoder embedded in a single executable (Linux)', () => {
  let dir: string;
  let program: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'fernhilfe-sea-encoder-'));
    const bundle = path.join(dir, 'bundle.cjs');
    await esbuild.build({
      entryPoints: [fileURLToPath(new URL('./support/sea-encoder-entry.ts', import.meta.url))],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      conditions: ['source'],
      logLevel: 'silent',
      define: { 'import.meta.url': '__import_meta_url' },
      banner: { js: 'var __import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
    });
    const config = path.join(dir, 'sea.json');
    const blob = path.join(dir, 'prep.blob');
    writeFileSync(config, JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true, assets: { encoder: builtEncoder('linux-x64') } }));
    execProgramSync({ file: process.execPath }, ['--experimental-sea-config', config], { stdio: 'pipe' });
    program = path.join(dir, 'program');
    copyFileSync(process.execPath, program);
    chmodSync(program, 0o755);
    const postject = createRequire(import.meta.url).resolve('postject/dist/cli.js');
    execProgramSync({ file: process.execPath }, [postject, program, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2'], { stdio: 'pipe' });
  }, 600_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs the encoder from memory and leaves no file', () => {
    const out = execProgramSync({ file: program }, [], { cwd: dir, env: { PATH: '/usr/bin:/bin', HOME: dir }, stdio: ['ignore', 'pipe', 'pipe'] });
    const got = JSON.parse(out.trim()) as { exe: string; keyframe: boolean; codec: string; shm: string[] };
    expect(got.exe).toMatch(/^\/proc\/\d+\/fd\/\d+$/);
    expect([got.keyframe, got.codec]).toEqual([true, 'avc1.64000A']);
    // its unpacked copy would be named .fernhilfe-fernhilfe-encoder-<its pid>-… (other programs use /dev/shm too)
    const pid = /^\/proc\/(\d+)\//.exec(got.exe)![1]!;
    const its = (names: string[]) => names.filter((n) => n.includes(`-${pid}-`));
    expect(its(got.shm), 'while it runs').toEqual([]);
    expect(its(readdirSync('/dev/shm')), 'after it ended').toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(['bundle.cjs', 'prep.blob', 'program', 'sea.json']);
  });
});
