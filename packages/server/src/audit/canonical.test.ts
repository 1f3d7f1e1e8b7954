import { describe, expect, it } from 'vitest';
import { CanonicalError, canonicalJson } from './canonical.js';

describe('canonicalJson (RFC 8785 JCS)', () => {
  it('matches the example of RFC 8785 section 3.2.3', () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
    ) as unknown;
    expect(canonicalJson(input)).toBe('{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}');
  });

  it('sorts keys by UTF-16 code units, recursively, and keeps array order', () => {
    // RFC 8785 3.2.3 sorting example: "\r" < "1" < "\u0080" < "ö" < "€" < "😀" (surrogate D83D) < "ﬂ" (FB02)
    const input = { '\u20ac': 'Euro Sign', '\r': 'Carriage Return', '\ufb33': 'Hebrew Letter Dalet With Dagesh', '1': 'One', '\ud83d\ude00': 'Emoji: Grinning Face', '\u0080': 'Control', '\u00f6': 'Latin Small Letter O With Diaeresis' };
    // (JSON.parse would put the integer-like key "1" first again, so read the keys from the text)
    const keys = [...canonicalJson(input).matchAll(/"([^"]*)":"[^"]*"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string);
    expect(keys).toEqual(['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33']);
    expect(canonicalJson({ b: [3, { z: 1, a: 2 }], a: 'x' })).toBe('{"a":"x","b":[3,{"a":2,"z":1}]}');
  });

  it('writes numbers in the shortest ECMAScript form', () => {
    expect(canonicalJson([0, -0, 1, -1.5, 1e21, 1e-7, 123456789012345680000, Number.MAX_SAFE_INTEGER])).toBe(
      '[0,0,1,-1.5,1e+21,1e-7,123456789012345680000,9007199254740991]',
    );
  });

  it('escapes control characters and nothing else', () => {
    expect(canonicalJson('a\u0000\u001f\u007f<>&ä\u2028"\\')).toBe('"a\\u0000\\u001f\u007f<>&ä\u2028\\"\\\\"');
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', { x: Number.POSITIVE_INFINITY }],
    ['undefined member', { x: undefined }],
    ['Date', { at: new Date(0) }],
    ['Map', new Map()],
    ['function', () => 1],
    ['bigint', 1n],
    ['lone surrogate', '\ud800x'],
    ['lone surrogate key', { '\udc00': 1 }],
  ])('refuses %s', (_name, value) => {
    expect(() => canonicalJson(value)).toThrow(CanonicalError);
  });

  it('gives the same text for the same data however it was built', () => {
    const a = { seq: 1, data: { name: 'x', size: 3 }, event: 'e' };
    const b = JSON.parse('{"event":"e","data":{"size":3,"name":"x"},"seq":1.0}') as unknown;
    expect(canonicalJson(a)).toBe(canonicalJson(b));
  });
});
