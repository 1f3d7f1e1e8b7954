import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from './temp-dir.js';

describe('makeTempDir / removeDir', () => {
  it('makes a new empty directory under the temp dir and removes it with its contents', () => {
    const dir = makeTempDir('testkit');
    expect(path.dirname(dir)).toBe(tmpdir());
    expect(path.basename(dir)).toMatch(/^fernhilfe-testkit-/);
    expect(readdirSync(dir)).toEqual([]);
    writeFileSync(path.join(dir, 'file'), 'x');
    removeDir(dir);
    expect(existsSync(dir)).toBe(false);
    removeDir(dir); // already gone is fine
  });
});
