import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freeSubnet } from './netns.js';

describe('freeSubnet', () => {
  it('never hands out the same 10.N twice within the reservation, here or to a parallel test file', () => {
    const picked = Array.from({ length: 20 }, () => freeSubnet());
    expect(new Set(picked).size).toBe(picked.length);
    for (const n of picked) {
      const file = path.join(tmpdir(), 'fernhilfe-subnets', String(n));
      expect(existsSync(file), file).toBe(true);
      expect(readFileSync(file, 'utf8').trim()).toBe(String(process.pid));
    }
  });
});
