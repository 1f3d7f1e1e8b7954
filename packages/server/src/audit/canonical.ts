/**
 * Canonical JSON for hashing and signing, after RFC 8785 (JSON Canonicalization Scheme, "JCS"):
 *
 * - objects: members sorted by key, compared as UTF-16 code units (JavaScript's default string
 *   order), no whitespace; members whose value is `undefined` are an error, not skipped;
 * - strings: as ECMAScript `JSON.stringify` writes them (`\"`, `\\`, `\b \f \n \r \t`, other
 *   control characters as lower-case `\u00xx`, everything else literally, lone surrogates refused);
 * - numbers: ECMAScript's shortest round-trip form (`JSON.stringify(4.50)` is `4.5`, `1e30` is
 *   `1e+30`); NaN and the infinities are refused; `-0` is written `0`;
 * - `true`, `false`, `null` literally; arrays in their order.
 *
 * The result is a string; hash or sign its UTF-8 bytes. Only plain objects and arrays are accepted,
 * so a Date, Map or class instance cannot slip in with an encoding of its own.
 */
import { FernhilfeError } from '@fernhilfe/protocol';

export type CanonicalValue = string | number | boolean | null | readonly CanonicalValue[] | { readonly [key: string]: CanonicalValue };

/** A value canonical JSON refuses: it has no JSON form, holds a lone surrogate, or is not a plain object. */
export type CanonicalFailure = 'no-json-form' | 'lone-surrogate' | 'not-plain';

export class CanonicalError extends FernhilfeError<CanonicalFailure> {
  override readonly name = 'CanonicalError';
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function canonicalJson(value: unknown): string {
  return encode(value, '$');
}

function encode(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalError('no-json-form', `${path}: ${String(value)} has no JSON form`);
      return Object.is(value, -0) ? '0' : JSON.stringify(value);
    case 'string':
      return encodeString(value, path);
    case 'object':
      if (Array.isArray(value)) return `[${value.map((v, i) => encode(v, `${path}[${i}]`)).join(',')}]`;
      return encodeObject(value, path);
    default:
      throw new CanonicalError('no-json-form', `${path}: a ${typeof value} has no JSON form`);
  }
}

function encodeString(value: string, path: string): string {
  if (LONE_SURROGATE.test(value)) throw new CanonicalError('lone-surrogate', `${path}: the string holds a lone surrogate`);
  return JSON.stringify(value);
}

function encodeObject(value: object, path: string): string {
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) throw new CanonicalError('not-plain', `${path}: only plain objects can be encoded`);
  const keys = Object.keys(value).sort();
  const members = keys.map((key) => {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined) throw new CanonicalError('no-json-form', `${path}.${key}: undefined has no JSON form`);
    return `${encodeString(key, path)}:${encode(v, `${path}.${key}`)}`;
  });
  return `{${members.join(',')}}`;
}
