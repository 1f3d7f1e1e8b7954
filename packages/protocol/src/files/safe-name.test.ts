import { describe, expect, it } from 'vitest';
import { DEFAULT_FILE_NAME, safeFileName, uniqueFileName } from './safe-name.js';

const bytes = (s: string) => new TextEncoder().encode(s).length;

describe('safeFileName', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['C:\\Windows\\x', 'x'],
    ['CON', '_CON'],
    ['con.txt', '_con.txt'],
    ['LPT9.log', '_LPT9.log'],
    ['com1', '_com1'],
    ['console.txt', 'console.txt'],
    ['a\u0000b', 'a_b'],
    ['a\u001fb\u007fc\u0085d', 'a_b_c_d'],
    ['evil\u202Etxt.exe', 'evil_txt.exe'],
    ['.', DEFAULT_FILE_NAME],
    ['..', DEFAULT_FILE_NAME],
    ['', DEFAULT_FILE_NAME],
    ['   ', DEFAULT_FILE_NAME],
    ['/', DEFAULT_FILE_NAME],
    ['.bashrc', 'bashrc'],
    ['name. . ', 'name'],
    ['what?:*<>|".txt', 'what_______.txt'],
    ['Bericht März.pdf', 'Bericht März.pdf'],
  ])('%j -> %j', (raw, safe) => {
    expect(safeFileName(raw)).toBe(safe);
  });

  it('cuts over-long names to 255 bytes of UTF-8 and keeps the extension', () => {
    const long = safeFileName('a'.repeat(300) + '.pdf');
    expect(long).toBe('a'.repeat(251) + '.pdf');
    const umlauts = safeFileName('ü'.repeat(300) + '.txt');
    expect(bytes(umlauts)).toBeLessThanOrEqual(255);
    expect(umlauts.endsWith('ü.txt')).toBe(true);
    expect(safeFileName('x'.repeat(300))).toBe('x'.repeat(255));
  });
});

describe('uniqueFileName', () => {
  it('keeps a free name, numbers a taken one, compares without case', () => {
    expect(uniqueFileName('a.txt', ['b.txt'])).toBe('a.txt');
    expect(uniqueFileName('a.txt', ['A.TXT'])).toBe('a (2).txt');
    expect(uniqueFileName('a.txt', ['a.txt', 'a (2).txt', 'A (3).txt'])).toBe('a (4).txt');
    expect(uniqueFileName('README', ['readme'])).toBe('README (2)');
    const long = 'b'.repeat(251) + '.pdf';
    const next = uniqueFileName(long, [long]);
    expect(bytes(next)).toBeLessThanOrEqual(255);
    expect(next.endsWith(' (2).pdf')).toBe(true);
  });
});
