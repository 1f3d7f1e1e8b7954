import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { execProgram, execProgramSync, findProgram, missingPackages, programPath, ProgramMissingError, PROGRAMS, spawnProgram } from '@fernhilfe/programs';

const dir = mkdtempSync(path.join(tmpdir(), 'fernhilfe-programs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An executable shell script named `name` in `folder`, printing `says`. */
function fakeProgram(folder: string, name: string, says: string): string {
  mkdirSync(folder, { recursive: true });
  const file = path.join(folder, name);
  writeFileSync(file, `#!/bin/sh\necho ${says}\n`);
  chmodSync(file, 0o755);
  return file;
}

describe('@fernhilfe/programs', () => {
  it('a missing program fails with the Debian package to install, not with ENOENT', async () => {
    const env = { PATH: path.join(dir, 'empty') };
    expect(() => programPath('xrandr', { env })).toThrow(ProgramMissingError);
    expect(() => programPath('xrandr', { env })).toThrow(/xrandr is not installed: install the Debian package x11-xserver-utils \(apt-get install x11-xserver-utils/);
    expect(() => spawnProgram('import', ['-version'], { env })).toThrow(/Debian package imagemagick/);
    await expect(execProgram('chromium', ['--version'], { env: { PATH: '' } })).rejects.toThrow(/Debian package chromium .*or point CHROMIUM_PATH at it/);
    expect(() => programPath('npm', { env })).toThrow(/comes with Node.js/);
  });

  it('finds a program on PATH, through its variable, and in versioned folders newest first', () => {
    const onPath = fakeProgram(path.join(dir, 'bin'), 'xrandr', 'from-path');
    expect(findProgram('xrandr', { env: { PATH: `${path.join(dir, 'nothing')}:${path.join(dir, 'bin')}` } })).toBe(onPath);
    expect(execProgramSync('xrandr', [], { env: { PATH: path.join(dir, 'bin') } }).trim()).toBe('from-path');

    const special = fakeProgram(path.join(dir, 'special'), 'my-chromium', 'special');
    expect(findProgram('chromium', { env: { PATH: '', CHROMIUM_PATH: special } })).toBe(special);
    expect(findProgram('chromium', { env: { PATH: path.join(dir, 'bin'), CHROMIUM_PATH: path.join(dir, 'no-such-file') } })).toBeUndefined();

    fakeProgram(path.join(dir, 'pg', '9.6', 'bin'), 'initdb', 'old');
    const newest = fakeProgram(path.join(dir, 'pg', '16', 'bin'), 'initdb', 'new');
    fakeProgram(path.join(dir, 'pg', '15', 'bin'), 'initdb', 'middle');
    expect(findProgram('initdb', { env: { PATH: '' }, dirs: [path.join(dir, 'pg', '*', 'bin')] })).toBe(newest);
  });

  it('a folder or a file without the executable bit is not a program', () => {
    mkdirSync(path.join(dir, 'tricky', 'xclip'), { recursive: true });
    writeFileSync(path.join(dir, 'tricky', 'xdotool'), '#!/bin/sh\n');
    expect(findProgram('xclip', { env: { PATH: path.join(dir, 'tricky') } })).toBeUndefined();
    expect(findProgram('xdotool', { env: { PATH: path.join(dir, 'tricky') } })).toBeUndefined();
  });

  it('with nothing installed, every Debian package of the list is missing, once each', () => {
    const missing = missingPackages({ env: { PATH: '' }, dirs: [] });
    const expected = new Set(Object.values(PROGRAMS).flatMap((p) => ('node' in p || ('install' in p && p.install === false) || !('debian' in p) ? [] : [p.debian])));
    for (const pkg of expected) expect(missing).toContain(pkg);
    expect(missing.filter((pkg) => !expected.has(pkg) && pkg !== 'xkb-data'), 'only listed packages').toEqual([]);
    expect(missing).toContain('x11-xserver-utils');
    expect(missing).toContain('imagemagick');
    expect(missing).not.toContain('xdg-utils');
    expect(new Set(missing).size).toBe(missing.length);
  });
});
