// Vectors from draft-irtf-cfrg-cpace-21, Appendix A.1.2, A.1.4 and A.3.3.
import { describe, expect, it } from 'vitest';
import {
  concatBytes, equalBytes, fromHex, leb128, lexicographicallyLarger, lvCat, oCat, prependLen,
  splitLv, toHex, utf8, wipe,
} from './bytes.js';
import { LV_CAT, O_CAT, PREPEND_LEN } from './cpace-vectors.js';

const range = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => i);

describe('basic helpers', () => {
  it('utf8 / concatBytes', () => {
    expect(toHex(utf8('Aä€'))).toBe('41c3a4e282ac');
    expect(toHex(concatBytes(utf8('ab'), new Uint8Array(0), utf8('c')))).toBe('616263');
    expect(concatBytes().length).toBe(0);
  });

  it('equalBytes', () => {
    expect(equalBytes(utf8('abc'), utf8('abc'))).toBe(true);
    expect(equalBytes(new Uint8Array(0), new Uint8Array(0))).toBe(true);
    expect(equalBytes(utf8('abc'), utf8('abd'))).toBe(false);
    expect(equalBytes(utf8('abc'), utf8('ab'))).toBe(false);
  });

  it('toHex / fromHex round trip, strict decoding', () => {
    const b = range(256);
    expect(fromHex(toHex(b))).toEqual(b);
    expect(fromHex('DEADbeef')).toEqual(Uint8Array.from([0xde, 0xad, 0xbe, 0xef]));
    expect(fromHex('')).toEqual(new Uint8Array(0));
    for (const bad of ['abc', 'zz', '0x00', 'a b ', '12 ']) expect(() => fromHex(bad)).toThrow(RangeError);
  });

  it('wipe zeroes the buffer', () => {
    const b = utf8('secret');
    wipe(b);
    expect(b).toEqual(new Uint8Array(6));
  });
});

describe('LEB128 / prepend_len / lv_cat (draft A.1)', () => {
  it('leb128', () => {
    expect(toHex(leb128(0))).toBe('00');
    expect(toHex(leb128(127))).toBe('7f');
    expect(toHex(leb128(128))).toBe('8001');
    expect(toHex(leb128(300))).toBe('ac02');
    expect(toHex(leb128(16384))).toBe('808001');
    expect(toHex(leb128(2 ** 32))).toBe('8080808010');
    for (const bad of [-1, 1.5, NaN, 2 ** 53]) expect(() => leb128(bad)).toThrow(RangeError);
  });

  it('prepend_len vectors (A.1.2)', () => {
    expect(toHex(prependLen(new Uint8Array(0)))).toBe(PREPEND_LEN.empty);
    expect(toHex(prependLen(utf8('1234')))).toBe(PREPEND_LEN['1234']);
    expect(toHex(prependLen(range(127)))).toBe(PREPEND_LEN.range127);
    expect(toHex(prependLen(range(128)))).toBe(PREPEND_LEN.range128);
  });

  it('lv_cat vector (A.1.4)', () => {
    expect(toHex(lvCat(utf8('1234'), utf8('5'), utf8(''), utf8('678')))).toBe(LV_CAT);
  });
});

describe('o_cat (draft A.3)', () => {
  it('lexicographical ordering (A.3.3)', () => {
    const b = (...x: number[]): Uint8Array => Uint8Array.from(x);
    expect(lexicographicallyLarger(b(0), b(0, 0))).toBe(false);
    expect(lexicographicallyLarger(b(1), b(0, 0))).toBe(true);
    expect(lexicographicallyLarger(b(0, 0), b(0))).toBe(true);
    expect(lexicographicallyLarger(b(0, 0), b(1))).toBe(false);
    expect(lexicographicallyLarger(b(0, 1), b(1))).toBe(false);
    expect(lexicographicallyLarger(utf8('ABCD'), utf8('BCD'))).toBe(false);
  });

  it('o_cat vectors (A.3.3)', () => {
    expect(toHex(oCat(utf8('ABCD'), utf8('BCD')))).toBe(O_CAT['ABCD,BCD']);
    expect(toHex(oCat(utf8('BCD'), utf8('ABCDE')))).toBe(O_CAT['BCD,ABCDE']);
  });
});

describe('splitLv (strict inverse of lv_cat)', () => {
  it('round trips lv_cat', () => {
    const parts = [utf8('1234'), utf8('5'), utf8(''), utf8('678'), range(200)];
    expect(splitLv(lvCat(...parts))).toEqual(parts);
    expect(splitLv(fromHex(LV_CAT)).map(toHex)).toEqual(['31323334', '35', '', '363738']);
    expect(splitLv(new Uint8Array(0))).toEqual([]);
  });

  it('rejects truncation, non-minimal and overlong prefixes', () => {
    const bad = [
      '04313233', // item truncated
      '80', // prefix truncated
      '8000', // non-minimal encoding of 0
      '830041424344', // non-minimal encoding of 3
      'ffffffffffffff7f', // prefix longer than 7 bytes
      'ffffffffffff7f', // 7-byte prefix, length far beyond the buffer
    ];
    for (const hex of bad) {
      expect(() => splitLv(fromHex(hex)), hex).toThrow(RangeError);
    }
  });
});
