import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnProgram } from '@fernhilfe/programs';
import { beforeAll, describe, expect, it } from 'vitest';
import { inMemoryFile } from '../../packages/agent/src/runtime/executable.js';
import { ROOT } from '../support/processes.js';
import { builtEncoder, frameInput, parseRecords, runEncoder, testPicture } from './support/encoder-records.js';

/**
 * What the QuickSupport program unpacks lives only as long as the program (docs/agent-build.md):
 * on Linux the encoder runs from an in-memory file that has no name on any file system, and the
 * session folder is removed however the process ends.
 */
const SESSION_FOLDER = pathToFileURL(path.join(ROOT, 'packages/agent/dist/runtime/session-folder.js')).href;

/** Starts Node with a script that makes the session folder, puts a file in it and prints its path. */
function childWithFolder(rest: string) {
  const script = `import { writeFileSync } from 'node:fs';
import { sessionFolder } from ${JSON.stringify(SESSION_FOLDER)};
${rest.includes('AGENT_HANDLER') ? "process.once('SIGTERM', () => setImmediate(() => process.exit(0)));" : ''}
const dir = sessionFolder();
writeFileSync(dir + '/encoder', 'x');
process.stdout.write(dir + '\\n');
${rest.replace('AGENT_HANDLER', '')}`;
  const child = spawnProgram({ file: process.execPath }, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString('utf8')));
  child.stderr!.on('data', (b: Buffer) => (err += b.toString('utf8')));
  const folder = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', () => out.includes('\n') && resolve(out.split('\n')[0]!));
    child.once('exit', () => reject(new Error(`the child ended before it printed its folder: ${err}`)));
  });
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, folder, ended, stdout: () => out, stderr: () => err };
}

describe('the session folder', () => {
  it('is made with mode 0700 and removed at a normal exit', async () => {
    const run = childWithFolder("import { statSync } from 'node:fs'; process.stdout.write((statSync(dir).mode & 0o777).toString(8) + '\\n');");
    const folder = await run.folder;
    expect(await run.ended).toEqual({ code: 0, signal: null });
    expect(path.basename(folder)).toMatch(/^fernhilfe-qs-.{6}$/);
    expect(path.dirname(folder)).toBe(tmpdir());
    expect(run.stdout().split('\n')[1]).toBe('700');
    expect(existsSync(folder)).toBe(false);
  });

  it('is removed at SIGTERM when nothing else handles it (the process still ends by the signal)', async () => {
    const run = childWithFolder('setInterval(() => undefined, 1000);');
    const folder = await run.folder;
    expect(readdirSync(folder)).toEqual(['encoder']);
    run.child.kill('SIGTERM');
    expect(await run.ended).toEqual({ code: null, signal: 'SIGTERM' });
    expect(existsSync(folder)).toBe(false);
  });

  it('is removed when the agent handles SIGTERM itself and exits', async () => {
    const run = childWithFolder('AGENT_HANDLER setInterval(() => undefined, 1000);');
    const folder = await run.folder;
    run.child.kill('SIGTERM');
    expect(await run.ended).toEqual({ code: 0, signal: null });
    expect(existsSync(folder)).toBe(false);
  });

  it('is removed after an uncaught error', async () => {
    const run = childWithFolder("setImmediate(() => { throw new Error('boom'); });");
    const folder = await run.folder;
    expect((await run.ended).code).toBe(1);
    expect(run.stderr()).toContain('boom');
    expect(existsSync(folder)).toBe(false);
  });
});

describe('the encoder as an in-memory file (Linux)', () => {
  let encoder: string;
  beforeAll(() => {
    encoder = builtEncoder('linux-x64');
  }, 600_000);

  it('runs from /proc/<pid>/fd/<n> and leaves no file in /dev/shm', async () => {
    // the copy would be named .fernhilfe-fernhilfe-encoder-<our pid>-… (other programs use /dev/shm too)
    const ours = () => readdirSync('/dev/shm').filter((n) => n.includes(`-${process.pid}-`));
    const before = ours();
    const runnable = inMemoryFile('encoder', readFileSync(encoder));
    expect(runnable).toMatch(new RegExp(`^/proc/${process.pid}/fd/\\d+$`));
    expect(ours()).toEqual(before);
    const run = await runEncoder(runnable, ['--width', '64', '--height', '48'], Buffer.concat([frameInput(testPicture(64, 48, 0)), frameInput(testPicture(64, 48, 1))]));
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(parseRecords(run.stdout).map((r) => r.keyframe)).toEqual([true, false]);
  });

  it('falls back to the next place when a folder cannot be used', () => {
    const runnable = inMemoryFile('encoder', readFileSync(encoder), ['/nonexistent-fernhilfe-dir', '/dev/shm']);
    expect(runnable).toMatch(/^\/proc\/\d+\/fd\/\d+$/);
  });
});
