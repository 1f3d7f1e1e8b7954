/**
 * Small byte helpers shared by the protocol package.
 *
 * Pure and isomorphic: Uint8Array only (no Buffer, no node:* imports).
 * The length-value encodings follow draft-irtf-cfrg-cpace-21, Section 6.3
 * and Appendix A.1 / A.3 (prepend_len, lv_cat, o_cat).
 */

const encoder = new TextEncoder();

/** UTF-8 encoding of a string. */
export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Concatenation of byte strings (`a || b || ...`). */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/**
 * Equality of two byte strings in time independent of their contents
 * (only the lengths, which are public, may leak).
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/** Lowercase hexadecimal encoding. */
export function toHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

/** Strict hexadecimal decoding (even length, [0-9a-fA-F] only); whitespace is not allowed. */
export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw new RangeError('fromHex: not an even-length hex string');
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** LEB128 encoding of a non-negative safe integer (draft Section 6.3, Appendix A.1.1). */
export function leb128(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError('leb128: not a non-negative safe integer');
  const out: number[] = [];
  let rest = n;
  for (;;) {
    const low = rest % 128;
    rest = Math.floor(rest / 128);
    if (rest === 0) {
      out.push(low);
      return Uint8Array.from(out);
    }
    out.push(low | 0x80);
  }
}

/** prepend_len(b) = LEB128(len(b)) || b (draft Appendix A.1.1). */
export function prependLen(b: Uint8Array): Uint8Array {
  return concatBytes(leb128(b.length), b);
}

/** lv_cat(a0, a1, ...) = prepend_len(a0) || prepend_len(a1) || ... (draft Appendix A.1.3). */
export function lvCat(...parts: Uint8Array[]): Uint8Array {
  return concatBytes(...parts.map(prependLen));
}

/** True if a > b in lexicographical order (draft Appendix A.3.1). */
export function lexicographicallyLarger(a: Uint8Array, b: Uint8Array): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x > y) return true;
    if (x < y) return false;
  }
  return a.length > b.length;
}

/** o_cat(a, b) = b"oc" || larger || smaller (draft Appendix A.3.2). */
export function oCat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const oc = utf8('oc');
  return lexicographicallyLarger(a, b) ? concatBytes(oc, a, b) : concatBytes(oc, b, a);
}

/** Longest LEB128 length prefix accepted by {@link splitLv}: 7 bytes = lengths below 2^49. */
const MAX_LEB128_BYTES = 7;

/**
 * Strict inverse of lv_cat: splits `bytes` into the items it length-value encodes.
 * Rejects (RangeError) truncated items, non-minimal LEB128 prefixes and overlong prefixes,
 * so that lvCat(...splitLv(x)) is byte-identical to x whenever it returns.
 */
export function splitLv(bytes: Uint8Array): Uint8Array[] {
  const items: Uint8Array[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    let len = 0;
    let scale = 1;
    let i = 0;
    for (;;) {
      if (i === MAX_LEB128_BYTES) throw new RangeError('splitLv: length prefix too long');
      const byte = bytes[pos + i];
      if (byte === undefined) throw new RangeError('splitLv: truncated length prefix');
      len += (byte & 0x7f) * scale;
      scale *= 128;
      i++;
      if ((byte & 0x80) === 0) {
        if (byte === 0 && i > 1) throw new RangeError('splitLv: non-minimal length prefix');
        break;
      }
    }
    pos += i;
    if (len > bytes.length - pos) throw new RangeError('splitLv: truncated item');
    items.push(bytes.slice(pos, pos + len));
    pos += len;
  }
  return items;
}

/** Overwrites `b` with zeros (best effort: JS engines may keep copies). */
export function wipe(b: Uint8Array): void {
  b.fill(0);
}
