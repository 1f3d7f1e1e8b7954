/**
 * Deterministic fuzzing of everything that decodes bytes from the network: the stream framing
 * (FrameDecoder), the peer payloads (decodePeerPayload), the JSON messages (decodeJson with every
 * exported schema) and the encrypted channel (ChannelOpener.open).
 *
 * Every input comes from a seeded PRNG. Run again with the seed a failure prints:
 *   FUZZ_SEED=1234 npx vitest run packages/protocol/src/codec/fuzz.test.ts
 * FUZZ_SCALE=10 multiplies every count (for a long run by hand).
 *
 * What is asserted, for every input:
 * - only ProtocolError comes out of a decoder (decodeJson: only a clean { ok: false } Result);
 * - a differential check against a small reference parser written here: same frames, same error;
 * - allocation is bounded: the decoder never allocates more than its limit, and a length field
 *   over the limit (up to 2^32-1) throws too-large on the header alone;
 * - after a failure the stream/channel stays failed, and valid inputs still decode afterwards;
 * - no prototype pollution from keys like __proto__.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as protocol from '../index.js';
import * as agentPageFiles from '../agent-page/file-messages.js';
import * as agentPage from '../agent-page/messages.js';
import * as apiAccounts from '../api/accounts.js';
import * as apiAuth from '../api/auth.js';
import * as apiBranding from '../api/branding.js';
import * as apiProblem from '../api/problem.js';
import * as apiPrograms from '../api/programs.js';
import * as apiCases from '../cases/api.js';
import * as apiRecords from '../api/records.js';
import * as apiRecordings from '../api/recordings.js';
import * as apiRoutes from '../api/routes.js';
import { ProtocolError, endReasons } from '../errors.js';
import { FrameDecoder, FrameKind, MAX_FRAME_BODY, encodeFrame, type Frame } from './frame.js';
import { PeerType, SEALED_HEADER, decodePeerPayload, encodeHandshake } from './peer.js';
import { decodeJson, encodeJson } from '../messages/common.js';
import { ChannelOpener, ChannelSealer, type Direction } from '../crypto/channel.js';
import { Rng } from '../../../../tests/fuzz/support/rng.js';

// ---------------------------------------------------------------------------------------------
// Seeded PRNG (sfc32, seeded through splitmix32) and failure reporting
// ---------------------------------------------------------------------------------------------

const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed_f00d) >>> 0;
const SCALE = Math.max(0.01, Number(process.env.FUZZ_SCALE ?? 1));
const n = (count: number) => Math.max(1, Math.round(count * SCALE));

/** Inputs per target (the test names state them). */
const COUNT = {
  frameValid: n(12_000),
  frameMutated: n(36_000),
  peer: n(20_000),
  json: n(40_000),
  channelScenarios: n(2_500),
};

/** Inputs actually fed to each target, printed at the end. */
const fed = { frameDecoder: 0, peer: 0, json: 0, channelOpen: 0 };
afterAll(() => {
  const total = Object.values(fed).reduce((a, b) => a + b, 0);
  console.info(`protocol fuzz (FUZZ_SEED=${SEED}): ${total} inputs: FrameDecoder ${fed.frameDecoder}, decodePeerPayload ${fed.peer}, decodeJson ${fed.json}, ChannelOpener.open ${fed.channelOpen}`);
});

/** Seed for one test, derived from the global seed and the test's name. */
function seedFor(name: string): number {
  let h = SEED ^ 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const hex = (b: Uint8Array, max = 64) =>
  Array.from(b.subarray(0, max), (x) => x.toString(16).padStart(2, '0')).join('') + (b.length > max ? `…(${b.length} bytes)` : '');

class FuzzFailure extends Error {}

/** Runs a fuzz loop; any failure is rethrown with the seed and the iteration that reproduces it. */
async function fuzz(name: string, iterations: number, body: (rng: Rng, i: number) => void | Promise<void>): Promise<number> {
  const rng = new Rng(seedFor(name));
  let i = 0;
  try {
    for (; i < iterations; i++) await body(rng, i);
  } catch (err) {
    const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    throw new FuzzFailure(`[${name}] FUZZ_SEED=${SEED} iteration ${i}: ${detail}`, { cause: err });
  }
  return i;
}

function check(cond: unknown, message: () => string): asserts cond {
  if (!cond) throw new FuzzFailure(message());
}

/** Calls fn; returns the ProtocolError it threw, undefined when it returned; anything else fails. */
function catchProtocol<T>(fn: () => T, what: () => string): { value?: T; error?: ProtocolError } {
  try {
    return { value: fn() };
  } catch (err) {
    check(err instanceof ProtocolError, () => `${what()} threw a non-ProtocolError: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
    check((endReasons as readonly string[]).includes(err.reason), () => `${what()}: unknown reason ${err.reason}`);
    return { error: err };
  }
}

/** JSON with sorted keys, to compare values whatever their key order. */
const canon = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x));

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

// ---------------------------------------------------------------------------------------------
// FrameDecoder
// ---------------------------------------------------------------------------------------------

/** An independent reading of the framing rules, for differential checks. */
function referenceParse(stream: Uint8Array, max: number): { frames: Frame[]; error?: 'malformed' | 'too-large'; idle: boolean } {
  const frames: Frame[] = [];
  let pos = 0;
  while (stream.length - pos >= 5) {
    const length = ((stream[pos]! << 24) >>> 0) + (stream[pos + 1]! << 16) + (stream[pos + 2]! << 8) + stream[pos + 3]!;
    if (length === 0) return { frames, error: 'malformed', idle: false };
    if (length - 1 > max) return { frames, error: 'too-large', idle: false };
    const kind = stream[pos + 4]!;
    if (kind !== 1 && kind !== 2) return { frames, error: 'malformed', idle: false };
    if (stream.length - pos - 5 < length - 1) return { frames, idle: false };
    frames.push({ kind: kind as FrameKind, body: stream.slice(pos + 5, pos + 4 + length) });
    pos += 4 + length;
  }
  return { frames, idle: pos === stream.length };
}

function header(length: number, kind: number): Uint8Array {
  const h = new Uint8Array(5);
  new DataView(h.buffer).setUint32(0, length >>> 0);
  h[4] = kind;
  return h;
}

function concat(parts: Uint8Array[]): Uint8Array {
  return protocol.concatBytes(...parts);
}

function validStream(rng: Rng, max: number): { bytes: Uint8Array; frames: Frame[] } {
  const frames: Frame[] = [];
  const count = rng.range(0, 8);
  for (let i = 0; i < count; i++) {
    const kind = rng.chance(0.5) ? FrameKind.control : FrameKind.peer;
    const len = rng.chance(0.02) ? max : rng.size(Math.min(max, 4096));
    frames.push({ kind, body: rng.bytes(len) });
  }
  const bytes = concat(frames.map((f) => (max === MAX_FRAME_BODY ? encodeFrame(f.kind, f.body) : concat([header(f.body.length + 1, f.kind), f.body]))));
  return { bytes, frames };
}

/** Splits bytes into chunks: whole, one byte each, random cuts, with empty chunks now and then. */
function chunks(rng: Rng, bytes: Uint8Array): Uint8Array[] {
  const mode = rng.int(4);
  if (mode === 0) return [bytes];
  if (mode === 1 && bytes.length <= 4096) return Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
  const out: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (rng.chance(0.05)) out.push(new Uint8Array(0));
    const take = Math.min(bytes.length - at, rng.chance(0.5) ? rng.range(1, 7) : rng.size(bytes.length));
    out.push(bytes.subarray(at, at + Math.max(1, take)));
    at += Math.max(1, take);
  }
  return out;
}

const HEADER_LIMITS = [MAX_FRAME_BODY, 0, 300];
const SPECIAL_LENGTHS = (max: number) => [...new Set([0, 1, 2, 3, 5, max - 1, max, max + 1, max + 2, max + 3, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff])].filter((x) => x >= 0);

function mutateStream(rng: Rng, bytes: Uint8Array, max: number): Uint8Array {
  let b: Uint8Array = bytes.slice();
  const steps = rng.range(1, 3);
  for (let s = 0; s < steps; s++) {
    switch (rng.int(11)) {
      case 0: // bit flips
        for (let k = rng.range(1, 8); k > 0 && b.length; k--) b[rng.int(b.length)]! ^= 1 << rng.int(8);
        break;
      case 1: // random byte
        if (b.length) b[rng.int(b.length)] = rng.int(256);
        break;
      case 2: // a length field near 0 / the limit / 2^32-1, at a random offset (often 0)
      case 3: {
        const at = rng.chance(0.5) ? 0 : rng.int(b.length + 1);
        const h = header(rng.pick(SPECIAL_LENGTHS(max)), rng.chance(0.7) ? rng.range(1, 2) : rng.int(256));
        b = concat([b.subarray(0, at), h, b.subarray(at)]);
        break;
      }
      case 4: // unknown kind byte
        b = concat([header(rng.range(1, 40), rng.pick([0, 3, 4, 0x7f, 0x80, 0xfe, 0xff, rng.int(256)])), rng.bytes(rng.int(40)), b]);
        break;
      case 5: // truncate
        b = b.slice(0, rng.int(b.length + 1));
        break;
      case 6: // insert random bytes
        {
          const at = rng.int(b.length + 1);
          b = concat([b.subarray(0, at), rng.bytes(rng.range(1, 16)), b.subarray(at)]);
        }
        break;
      case 7: // delete a range
        {
          const at = rng.int(b.length + 1);
          b = concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + rng.range(1, 16)))]);
        }
        break;
      case 8: // duplicate a range
        {
          const at = rng.int(b.length + 1);
          const end = Math.min(b.length, at + rng.range(1, 64));
          b = concat([b.subarray(0, end), b.subarray(at, end), b.subarray(end)]);
        }
        break;
      case 9: // pure random bytes
        b = rng.bytes(rng.size(256));
        break;
      default: // random garbage appended
        b = concat([b, rng.bytes(rng.range(1, 32))]);
    }
  }
  return b;
}

/**
 * Watches every `new Uint8Array(n)` made while a decoder call runs (frame.ts allocates through the
 * global constructor), so the test can assert that no input makes it allocate more than its limit.
 */
class AllocationProbe {
  private active = false;
  private largest = 0;
  /** Runs fn; returns its result and the largest Uint8Array it allocated. */
  measure<T>(fn: () => T): { result: T; largest: number } {
    this.active = true;
    this.largest = 0;
    try {
      return { result: fn(), largest: this.largest };
    } finally {
      this.active = false;
    }
  }
  install<T>(body: () => T): T {
    const Original = globalThis.Uint8Array;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const probe = this;
    globalThis.Uint8Array = new Proxy(Original, {
      construct(target, args, newTarget) {
        if (probe.active && typeof args[0] === 'number' && args[0] > probe.largest) probe.largest = args[0];
        return Reflect.construct(target, args, newTarget) as object;
      },
    });
    const restore = () => void (globalThis.Uint8Array = Original);
    try {
      const r = body();
      if (r instanceof Promise) return r.finally(restore) as T;
      restore();
      return r;
    } catch (err) {
      restore();
      throw err;
    }
  }
}

/** Feeds chunks; checks the decoder against the reference parse of the whole input. */
function runDecoder(rng: Rng, input: Uint8Array, max: number, probe: AllocationProbe): { frames: Frame[]; error?: ProtocolError } {
  const decoder = max === MAX_FRAME_BODY && rng.chance(0.5) ? new FrameDecoder() : new FrameDecoder(max);
  const got: Frame[] = [];
  let error: ProtocolError | undefined;
  for (const chunk of chunks(rng, input)) {
    const { result: r, largest } = probe.measure(() => catchProtocol(() => decoder.push(chunk), () => `push(${hex(chunk)}) of input ${hex(input)}`));
    check(largest <= max, () => `decoder allocated ${largest} bytes with a limit of ${max}; input ${hex(input)}`);
    if (r.error) {
      error = r.error;
      break;
    }
    got.push(...r.value!);
  }
  const ref = referenceParse(input, max);
  if (ref.error) {
    check(error, () => `decoder accepted what the reference rejects (${ref.error}): ${hex(input)}`);
    check(error.reason === ref.error, () => `reason ${error!.reason}, reference ${ref.error}: ${hex(input)}`);
    // frames completed in the chunk that failed are dropped with the stream; the rest match
    check(got.length <= ref.frames.length, () => `more frames than the reference before an error: ${hex(input)}`);
    // a failed stream stays failed
    const again = catchProtocol(() => decoder.push(rng.bytes(rng.range(0, 3))), () => 'push after failure');
    check(again.error, () => 'a failed decoder accepted more bytes');
  } else {
    check(!error, () => `decoder threw ${error!.message} where the reference accepts: ${hex(input)}`);
    check(got.length === ref.frames.length, () => `got ${got.length} frames, reference ${ref.frames.length}: ${hex(input)}`);
    check(decoder.idle === ref.idle, () => `idle=${decoder.idle}, reference ${ref.idle}: ${hex(input)}`);
  }
  got.forEach((f, i) => {
    const r = ref.frames[i]!;
    check(f.kind === r.kind && sameBytes(f.body, r.body), () => `frame ${i} differs from the reference: ${hex(input)}`);
    check(f.body.length <= max, () => `frame body over the limit: ${f.body.length}`);
  });
  return { frames: got, ...(error ? { error } : {}) };
}

describe('FrameDecoder under fuzzing', () => {
  it(`decodes ${COUNT.frameValid} valid streams split at random points exactly`, async () => {
    await fuzz('frame-valid', COUNT.frameValid, (rng) => {
      const max = rng.chance(0.85) ? MAX_FRAME_BODY : rng.pick([0, 1, 16, 300]);
      const { bytes, frames } = validStream(rng, max === MAX_FRAME_BODY && !rng.chance(0.002) ? 4096 : max);
      const decoder = max === MAX_FRAME_BODY ? new FrameDecoder() : new FrameDecoder(max);
      const got: Frame[] = [];
      fed.frameDecoder++;
      for (const chunk of chunks(rng, bytes)) got.push(...decoder.push(chunk));
      check(got.length === frames.length, () => `got ${got.length} of ${frames.length} frames`);
      got.forEach((f, i) => check(f.kind === frames[i]!.kind && sameBytes(f.body, frames[i]!.body), () => `frame ${i} differs`));
      check(decoder.idle, () => 'not idle after whole frames');
    });
  });

  it(`only ProtocolError, same result as a reference parser, bounded allocation: ${COUNT.frameMutated} mutated streams`, async () => {
    let errors = 0;
    const probe = new AllocationProbe();
    await probe.install(async () => {
      await fuzz('frame-mutated', COUNT.frameMutated, (rng) => {
        const max = rng.chance(0.7) ? MAX_FRAME_BODY : rng.pick([0, 1, 16, 300]);
        const { bytes } = validStream(rng, max === MAX_FRAME_BODY ? 512 : max);
        const input = mutateStream(rng, bytes, max);
        fed.frameDecoder++;
        if (runDecoder(rng, input, max, probe).error) errors++;
        // valid input still decodes after the mutation of others
        const fresh = validStream(rng, 64);
        const decoder = new FrameDecoder();
        check(decoder.push(fresh.bytes).length === fresh.frames.length, () => 'a valid stream after a mutated one did not decode');
      });
    });
    expect(errors).toBeGreaterThan(COUNT.frameMutated / 4); // the mutations do reach the error paths
  });

  const headerCases = HEADER_LIMITS.reduce((a, max) => a + (SPECIAL_LENGTHS(max).length + 2) * 256 * 2, 0);
  it(`a length field over the limit (up to 2^32-1) throws too-large on the 5-byte header alone, for every kind: ${headerCases} headers, whole and byte by byte`, () => {
    const probe = new AllocationProbe();
    probe.install(() => {
      for (const max of HEADER_LIMITS) {
        for (const length of SPECIAL_LENGTHS(max).concat([max + 1 + 1024 * 1024, 2 ** 31 + 5])) {
          for (let kind = 0; kind < 256; kind++) {
            for (const oneByteAtATime of [false, true]) {
              const decoder = new FrameDecoder(max);
              const h = header(length, kind);
              let r: { value?: Frame[]; error?: ProtocolError } = {};
              let largest = 0;
              for (const chunk of oneByteAtATime ? Array.from(h, (_, i) => h.subarray(i, i + 1)) : [h]) {
                const m = probe.measure(() => catchProtocol(() => decoder.push(chunk), () => `header ${hex(h)}`));
                r = m.result;
                largest = Math.max(largest, m.largest);
                if (r.error) break;
              }
              const expected = length === 0 ? 'malformed' : length - 1 > max ? 'too-large' : kind !== 1 && kind !== 2 ? 'malformed' : undefined;
              fed.frameDecoder++;
              expect(r.error?.reason, `length ${length} kind ${kind} max ${max}`).toBe(expected);
              if (expected) expect(largest, 'no allocation for a refused header').toBe(0);
              // memory follows the bytes received: a header alone gets at most the first 4 KiB buffer
              else expect(largest).toBe(Math.min(length - 1, 4 * 1024));
            }
          }
        }
      }
    });
  });

  it('the limit itself: a body of exactly MAX_FRAME_BODY decodes, one byte more is too-large', () => {
    const body = new Uint8Array(MAX_FRAME_BODY).fill(7);
    const frames = new FrameDecoder().push(encodeFrame(FrameKind.peer, body));
    expect(frames).toHaveLength(1);
    expect(frames[0]!.body.length).toBe(MAX_FRAME_BODY);
    expect(() => encodeFrame(FrameKind.peer, new Uint8Array(MAX_FRAME_BODY + 1))).toThrow(ProtocolError);
    const d = new FrameDecoder();
    expect(() => d.push(header(MAX_FRAME_BODY + 2, FrameKind.peer))).toThrow(/too-large/);
    expect(() => d.push(new Uint8Array(1))).toThrow(/stream already failed/);
  });
});

// ---------------------------------------------------------------------------------------------
// decodePeerPayload
// ---------------------------------------------------------------------------------------------

type PeerExpectation =
  | { error: true }
  | { type: 'handshake'; step: number; data: Uint8Array }
  | { type: 'sealed'; seq: bigint; header: Uint8Array; ciphertext: Uint8Array }
  | { type: 'ack'; next: bigint; signed: Uint8Array; tag: Uint8Array }
  | { type: 'sync'; path: number; next: bigint; signed: Uint8Array; tag: Uint8Array };

const beUint = (b: Uint8Array, from: number, to: number) => {
  let v = 0n;
  for (let i = from; i < to; i++) v = (v << 8n) | BigInt(b[i]!);
  return v;
};

function referencePeer(b: Uint8Array): PeerExpectation {
  if (b[0] === 0x10) {
    if (b.length < 2 || b[1]! < 1 || b[1]! > 4 || b.length - 2 > 256) return { error: true };
    return { type: 'handshake', step: b[1]!, data: b.slice(2) };
  }
  if (b[0] === 0x20) {
    if (b.length < 25) return { error: true };
    let seq = 0n;
    for (let i = 1; i < 9; i++) seq = (seq << 8n) | BigInt(b[i]!);
    return { type: 'sealed', seq, header: b.slice(0, 9), ciphertext: b.slice(9) };
  }
  if (b[0] === 0x30) {
    if (b.length !== 25) return { error: true };
    return { type: 'ack', next: beUint(b, 1, 9), signed: b.slice(0, 9), tag: b.slice(9) };
  }
  if (b[0] === 0x31) {
    if (b.length !== 29) return { error: true };
    return { type: 'sync', path: Number(beUint(b, 1, 5)), next: beUint(b, 5, 13), signed: b.slice(0, 13), tag: b.slice(13) };
  }
  return { error: true };
}

function peerInput(rng: Rng): Uint8Array {
  switch (rng.int(8)) {
    case 6:
      // ACK: right length or one byte off either way
      return concat([protocol.encodeAckSigned(BigInt(rng.u32()) * BigInt(rng.u32())), rng.bytes(rng.pick([15, 16, 16, 16, 17]))]);
    case 7:
      return concat([protocol.encodeSyncSigned(rng.u32(), BigInt(rng.u32())), rng.bytes(rng.pick([15, 16, 16, 16, 17]))]);
    case 0:
      return rng.bytes(rng.size(64));
    case 1:
      return encodeHandshake(rng.range(0, 6) as 1, rng.bytes(rng.chance(0.1) ? rng.range(250, 260) : rng.size(300)));
    case 2:
      return concat([protocol.encodeSealedHeader(BigInt.asUintN(64, BigInt(rng.u32()) * BigInt(rng.u32()) * (rng.chance(0.1) ? 2n ** 32n : 1n))), rng.bytes(rng.chance(0.3) ? rng.range(0, 20) : rng.size(300))]);
    case 3:
      return Uint8Array.of(rng.pick([PeerType.handshake, PeerType.sealed, 0, 0xff, rng.int(256)]));
    case 4:
      return new Uint8Array(0);
    default: {
      const b = rng.chance(0.5) ? encodeHandshake(1, rng.bytes(rng.size(256))) : concat([protocol.encodeSealedHeader(BigInt(rng.u32())), rng.bytes(rng.size(200) + 16)]);
      return mutateStream(rng, b, 64);
    }
  }
}

describe('decodePeerPayload under fuzzing', () => {
  it(`only ProtocolError, and exactly the reference's reading: ${COUNT.peer} random and mutated payloads (also at odd buffer offsets)`, async () => {
    let accepted = 0;
    await fuzz('peer', COUNT.peer, (rng) => {
      const raw = peerInput(rng);
      // place it inside a larger buffer at a random offset: byteOffset must be respected
      const pad = rng.int(9);
      const big = concat([rng.bytes(pad), raw, rng.bytes(rng.int(9))]);
      const input = big.subarray(pad, pad + raw.length);
      fed.peer++;
      const r = catchProtocol(() => decodePeerPayload(input), () => `decodePeerPayload(${hex(raw)})`);
      const ref = referencePeer(raw);
      if ('error' in ref) {
        check(r.error, () => `accepted ${hex(raw)} which the reference rejects`);
        return;
      }
      check(r.value, () => `rejected ${hex(raw)} (${r.error?.message}) which the reference accepts`);
      accepted++;
      const v = r.value;
      check(v.type === ref.type, () => `type ${v.type} vs ${ref.type}`);
      if (v.type === 'handshake' && ref.type === 'handshake') {
        check(v.step === ref.step && sameBytes(v.data, ref.data), () => `handshake differs for ${hex(raw)}`);
      } else if (v.type === 'sealed' && ref.type === 'sealed') {
        check(v.seq === ref.seq, () => `seq ${v.seq} vs ${ref.seq} for ${hex(raw)} at offset ${pad}`);
        check(sameBytes(v.header, ref.header) && sameBytes(v.ciphertext, ref.ciphertext), () => `sealed parts differ for ${hex(raw)}`);
        check(v.header.length === SEALED_HEADER && v.ciphertext.length >= 16, () => 'sealed sizes');
      } else if (v.type === 'ack' && ref.type === 'ack') {
        check(v.next === ref.next && sameBytes(v.signed, ref.signed) && sameBytes(v.tag, ref.tag), () => `ack differs for ${hex(raw)}`);
      } else if (v.type === 'sync' && ref.type === 'sync') {
        check(v.path === ref.path && v.next === ref.next && sameBytes(v.signed, ref.signed) && sameBytes(v.tag, ref.tag), () => `sync differs for ${hex(raw)}`);
      }
    });
    expect(accepted).toBeGreaterThan(COUNT.peer / 10);
  });
});

// ---------------------------------------------------------------------------------------------
// decodeJson with every schema
// ---------------------------------------------------------------------------------------------

const hexString = (rng: Rng, len: number) => Array.from({ length: len }, () => '0123456789abcdef'[rng.int(16)]).join('');
const customerId = (rng: Rng) => String(rng.range(100_000_000, 999_999_999));
const text = (rng: Rng, min: number, max: number) => {
  const alphabet = ['a', 'Z', ' ', 'ä', 'ß', '€', '😀', '"', '\\', '\n', '\u0000', '<', '{'];
  let s = '';
  const len = rng.range(min, max);
  while (s.length < len) s += rng.pick(alphabet);
  return s.slice(0, Math.max(min, Math.min(len, s.length))) || 'a';
};
const endReason = (rng: Rng) => rng.pick(endReasons);
const optional = <T extends object>(rng: Rng, o: T, extra: Record<string, unknown>): T => (rng.chance(0.5) ? { ...o, ...extra } : o);

const serverError = (rng: Rng) =>
  optional(rng, { type: 'error', code: rng.pick(protocol.serverErrorCodes), message: text(rng, 0, 40) }, { retryAfterMs: rng.int(100_000) });
const ended = (rng: Rng) => ({ type: 'ended', by: rng.pick(['customer', 'technician', 'server']), reason: endReason(rng) });

/** Server -> endpoint messages about resuming, the same for both roles. */
const resumeSamples = (rng: Rng) => [
  () => ({ type: 'resume-ready', graceMs: rng.int(3_600_001) }),
  () => ({ type: 'peer-connection-lost' }),
  () => ({ type: 'peer-reconnected', path: rng.range(1, 0x7fffffff) }),
  () => ({ type: 'resume-challenge', nonce: hexString(rng, 64) }),
  () => ({ type: 'resumed', path: rng.range(1, 1000), peer: rng.pick(['connected', 'disconnected']) }),
];

const transferId = (rng: Rng) => hexString(rng, rng.pick([16, 24, 32]));
const fileDirection = (rng: Rng) => rng.pick(['to-customer', 'to-technician']);
const fileCancelReason = (rng: Rng) => rng.pick([...protocol.fileCancelReasons]);
const monitorInfo = (rng: Rng) => ({ id: text(rng, 1, 20), name: text(rng, 0, 20), primary: rng.chance(0.5), x: rng.int(4000) - 2000, y: rng.int(2000), width: rng.range(1, 7680), height: rng.range(1, 4320) });
const p2pAttempt = (rng: Rng) => rng.range(1, protocol.P2P_MAX_ATTEMPT);
const fileMeta = (rng: Rng) => ({ transferId: transferId(rng), direction: fileDirection(rng), name: text(rng, 1, 80), size: rng.int(2 ** 40) });
const sessionReport = (rng: Rng) =>
  rng.pick<() => unknown>([
    () => ({ event: rng.pick(['control-granted', 'control-revoked', 'clipboard-allowed', 'clipboard-revoked']) }),
    () => ({ event: 'recording-refused', required: rng.chance(0.5) }),
    () => ({ event: rng.pick(['file-offered', 'file-accepted', 'file-refused']), ...fileMeta(rng) }),
    () => ({ event: 'file-completed', ...fileMeta(rng), sha256: hexString(rng, 64) }),
    () => ({ event: 'file-failed', ...fileMeta(rng), reason: rng.pick(['cancelled-by-customer', 'cancelled-by-technician', 'hash-mismatch', 'too-large', 'not-allowed', 'write-failed', 'session-ended']) }),
  ])();
const iceServers = (rng: Rng) => ({
  type: 'ice-servers',
  iceServers: Array.from({ length: rng.int(3) }, () => optional(rng, { urls: [rng.pick(['stun:', 'turn:', 'turns:']) + text(rng, 1, 30).replace(/\s/g, 'x')] }, { username: `${rng.int(2e9)}:ab`, credential: 'c2VjcmV0' })),
  ttlS: rng.int(86400),
});
/** One of each feature's end-to-end control messages (screen, remote control, files, p2p). */
const featureControl = (rng: Rng) =>
  rng.pick<() => unknown>([
    () => ({ type: 'screen-monitors', monitors: [monitorInfo(rng)], selected: text(rng, 1, 20) }),
    () => ({ type: 'screen-select-monitor', id: text(rng, 1, 20) }),
    () => ({ type: 'cursor-position', x: rng.int(4000) - 100, y: rng.int(2000), visible: rng.chance(0.5) }),
    () => ({ type: rng.pick(['control-request', 'control-release', 'control-granted', 'control-revoked', 'clipboard-request', 'clipboard-release', 'clipboard-allowed', 'clipboard-revoked']) }),
    () => optional(rng, { type: 'file-offer', transferId: transferId(rng), name: text(rng, 0, 80), size: rng.int(2 ** 40), from: rng.pick(['customer', 'technician']) }, { mime: 'text/plain' }),
    () => ({ type: rng.pick(['file-accept']), transferId: transferId(rng) }),
    () => ({ type: 'file-ack', transferId: transferId(rng), offset: rng.int(2 ** 40) }),
    () => ({ type: 'file-complete', transferId: transferId(rng), sha256: hexString(rng, 64) }),
    () => ({ type: 'file-cancel', transferId: transferId(rng), reason: fileCancelReason(rng) }),
    () => ({ type: 'file-request', message: text(rng, 0, 200) }),
    () => ({ type: 'p2p-offer', attempt: p2pAttempt(rng), sdp: text(rng, 1, 400) }),
    () => ({ type: 'p2p-candidate', attempt: p2pAttempt(rng), candidate: text(rng, 1, 200), sdpMid: rng.chance(0.5) ? '0' : null, sdpMLineIndex: rng.chance(0.5) ? 0 : null }),
    () => ({ type: 'p2p-close', attempt: p2pAttempt(rng), reason: rng.pick(['timeout', 'failed', 'broken', 'unsupported', 'closed']) }),
    () => ({ type: 'recording-request', required: rng.chance(0.5) }),
    () => ({ type: rng.pick(['recording-release', 'recording-allowed', 'recording-refused', 'recording-revoked']) }),
  ])();

/** The customer's journey as the flow's state (customer-flow-state.ts). */
const grant = (rng: Rng) => rng.pick(['control', 'clipboard', 'recording']);
const termsSample = (rng: Rng) => ({ version: hexString(rng, 64), text: { de: text(rng, 0, 200), en: text(rng, 0, 200) } });
const flowEndKey = (rng: Rng) => rng.pick([...endReasons, 'ended-before-start']);
const chatEntry = (rng: Rng) => ({ key: rng.int(1000), from: rng.pick(['customer', 'technician']), text: text(rng, 0, 100), at: rng.int(2 ** 40) });
const share = (rng: Rng) =>
  rng.pick<() => unknown>([() => ({ status: 'off' }), () => ({ status: 'off', problem: rng.pick([...protocol.shareProblems]) }), () => ({ status: 'starting' }), () => ({ status: 'on' })])();
const consentView = (rng: Rng) => ({ available: [grant(rng)], granted: { control: rng.chance(0.5), clipboard: rng.chance(0.5), recording: rng.chance(0.5) }, pending: rng.chance(0.5) ? [grant(rng)] : [] });
const flowState = (rng: Rng) =>
  optional(
    rng,
    { phase: rng.pick([...protocol.flowPhases]), termsOutdated: rng.chance(0.5), failures: rng.int(20), attemptsInRound: rng.int(6), rotated: rng.chance(0.5), chat: [chatEntry(rng)], share: share(rng), everShared: rng.chance(0.5), consent: consentView(rng) },
    { terms: termsSample(rng), id: customerId(rng), password: 'abc2345', technician: { displayName: text(rng, 0, 40), company: text(rng, 0, 40) }, sas: '123 456', registeredAt: rng.int(2 ** 40), receiptUrl: `https://support.example/receipt#token=${hexString(rng, 64)}`, endKey: flowEndKey(rng) },
  );

/** A support case's ID (cases/code.ts): 6 symbols of Crockford's base32. */
const caseId = (rng: Rng) => Array.from({ length: 6 }, () => protocol.CASE_ALPHABET[rng.int(32)]).join('');

/** A valid value for each exported schema. A new schema without a sample here fails the test. */
const samples: Record<string, (rng: Rng) => unknown> = {
  customerIdSchema: customerId,
  hexNonceSchema: (rng) => hexString(rng, 32),
  termsVersionSchema: (rng) => hexString(rng, 64),
  endReasonSchema: endReason,
  resumePublicKeySchema: (rng) => hexString(rng, 64),
  resumeChallengeSchema: (rng) => hexString(rng, 64),
  resumeSignatureSchema: (rng) => hexString(rng, 128),
  resumePathSchema: (rng) => rng.range(1, 0x7fffffff),
  languageSchema: (rng) => rng.pick(['de', 'en']),
  capabilitySchema: (rng) => rng.pick(['screen', 'control', 'chat', 'files', 'clipboard']),
  customerMessageSchema: (rng) =>
    rng.pick([
      () => ({ type: 'register', termsVersion: hexString(rng, 64), language: rng.pick(['de', 'en']), capabilities: Array.from({ length: rng.int(9) }, () => rng.pick(['screen', 'control', 'chat', 'files', 'clipboard'])) }),
      () => ({ type: 'register', termsVersion: hexString(rng, 64), language: 'de', capabilities: [], case: { id: caseId(rng), proof: hexString(rng, 64), description: hexString(rng, 2 * (29 + rng.int(200))) } }),
      () => ({ type: 'auth-result', ok: rng.chance(0.5) }),
      () => ({ type: 'password-rotated' }),
      () => optional(rng, { type: 'end' }, { reason: endReason(rng) }),
      () => ({ type: 'resume-key', publicKey: hexString(rng, 64) }),
      () => ({ type: 'resume', id: customerId(rng), role: 'customer' }),
      () => ({ type: 'resume-proof', signature: hexString(rng, 128) }),
      () => ({ type: 'report', report: sessionReport(rng) }),
    ])(),
  technicianMessageSchema: (rng) =>
    rng.pick([
      () => ({ type: 'connect', id: customerId(rng) }),
      () => ({ type: 'abort' }),
      () => optional(rng, { type: 'end' }, { reason: endReason(rng) }),
      () => ({ type: 'resume-key', publicKey: hexString(rng, 64) }),
      () => ({ type: 'resume', id: customerId(rng), role: 'technician' }),
      () => ({ type: 'resume-proof', signature: hexString(rng, 128) }),
      () => ({ type: 'report', report: sessionReport(rng) }),
    ])(),
  serverErrorSchema: serverError,
  toCustomerSchema: (rng) =>
    rng.pick([
      () => ({ type: 'registered', id: customerId(rng) }),
      () => ({ type: 'registered', id: customerId(rng), case: { technician: text(rng, 1, 120) } }),
      () => ({ type: 'pairing', nonce: hexString(rng, 32), technician: { displayName: text(rng, 1, 120), company: text(rng, 0, 120) } }),
      () => ({ type: 'pairing-aborted', reason: rng.pick(['technician-left', 'timeout', 'aborted']) }),
      () => ended(rng),
      () => serverError(rng),
      ...resumeSamples(rng),
    ])(),
  toTechnicianSchema: (rng) =>
    rng.pick([
      () => ({ type: 'pairing', nonce: hexString(rng, 32), id: customerId(rng) }),
      () => optional(rng, { type: 'connect-failed', code: rng.pick(['wrong-credentials', 'rate-limited', 'busy', 'customer-left', 'timeout']) }, { retryAfterMs: rng.int(100_000) }),
      () => ended(rng),
      () => serverError(rng),
      ...resumeSamples(rng),
    ])(),
  serverMessageSchema: (rng) => (rng.int(2) === 0 ? samples.toCustomerSchema!(rng) : samples.toTechnicianSchema!(rng)),
  controlMessageSchema: (rng) =>
    rng.pick([
      () => ({ type: 'ping', id: rng.int(2 ** 31), t: rng.int(1e9) / 7 }),
      () => ({ type: 'pong', id: rng.int(2 ** 31), t: rng.int(1e9) }),
      () => ({ type: 'chat', text: text(rng, 1, rng.chance(0.05) ? 4000 : 60) }),
      () => (rng.chance(0.5) ? { type: 'bye' } : { type: 'bye', reason: 'recording-refused' }),
      () => featureControl(rng),
    ])(),
  transferIdSchema: transferId,
  fileDirectionSchema: fileDirection,
  fileCancelReasonSchema: fileCancelReason,
  monitorInfoSchema: monitorInfo,
  p2pAttemptSchema: p2pAttempt,
  sessionReportSchema: sessionReport,
  reportMessageSchema: (rng) => ({ type: 'report', report: sessionReport(rng) }),
  iceServersMessageSchema: iceServers,
  grantSchema: grant,
  termsSchema: termsSample,
  endKeySchema: flowEndKey,
  chatEntrySchema: chatEntry,
  shareSchema: share,
  consentViewSchema: consentView,
  customerFlowStateSchema: flowState,
  caseIdSchema: caseId,
};

/**
 * The WebSocket messages to and from the server and the peer. Not fuzzed here: the HTTP contracts
 * (src/api/, checked against the real server's replies in tests/server) and the agent↔page messages
 * (src/agent-page/, parsed by the agent's and the page's tests).
 */
const notWire = new Set([...Object.keys(apiBranding), ...Object.keys(apiAuth), ...Object.keys(apiAccounts), ...Object.keys(apiRecords), ...Object.keys(apiRecordings), ...Object.keys(apiProblem), ...Object.keys(apiPrograms), ...Object.keys(apiCases), ...Object.keys(apiRoutes), ...Object.keys(agentPage), ...Object.keys(agentPageFiles)]);
const schemas = Object.entries(protocol).filter(([name, v]) => v instanceof z.ZodType && !notWire.has(name)) as [string, z.ZodType][];

const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'then'];
const ODD_TYPES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '', 'REGISTER', 'register ', ' ping', null, 0, true, [], {}];
const TYPE_VALUES = [...ODD_TYPES, 'ping', 'error', 'ended', 'connect', 'register'];

function deepNesting(rng: Rng): unknown {
  let v: unknown = rng.chance(0.5) ? 'x' : 1;
  for (let i = rng.range(100, 3000); i > 0; i--) v = rng.chance(0.5) ? [v] : { a: v };
  return v;
}

function wrongValue(rng: Rng): unknown {
  return rng.pick<() => unknown>([
    () => null,
    () => true,
    () => 0,
    () => -1,
    () => 1.5,
    () => 2 ** 53 + 2,
    () => -0,
    () => 1e308,
    () => '',
    () => 'x',
    () => 'x'.repeat(rng.chance(0.1) ? 1024 * 1024 : rng.range(100, 5000)),
    () => text(rng, 1, 200),
    () => [],
    () => [1, 'a', null],
    () => ({}),
    () => ({ type: 'ping' }),
    () => deepNesting(rng),
    () => customerId(rng),
    () => hexString(rng, rng.pick([31, 32, 33, 63, 64, 65])),
    () => hexString(rng, 32).toUpperCase(),
  ])();
}

function ownKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, configurable: true, writable: true });
}

/** Structural mutation: some object or array inside the value gets a wrong value, an extra or a missing key. */
function mutateValue(rng: Rng, value: unknown): unknown {
  const root = structuredClone(value);
  const containers: (Record<string, unknown> | unknown[])[] = [];
  const walk = (v: unknown) => {
    if (v && typeof v === 'object') {
      containers.push(v as Record<string, unknown>);
      for (const x of Object.values(v)) walk(x);
    }
  };
  walk(root);
  if (containers.length === 0 || rng.chance(0.08)) return rng.chance(0.5) ? wrongValue(rng) : [root];
  const target = rng.pick(containers);
  const keys = Object.keys(target);
  switch (rng.int(6)) {
    case 0: // wrong type at a key
      if (keys.length) (target as Record<string, unknown>)[rng.pick(keys)] = wrongValue(rng);
      break;
    case 1: // extra key: prototype pollution keys, odd names, huge names
      ownKey(target as Record<string, unknown>, rng.pick([...POLLUTION_KEYS, 'extra', '', 'ä', '\u0000', 'k'.repeat(rng.range(1, 300)), text(rng, 1, 20)]), rng.chance(0.5) ? { polluted: 'yes', isAdmin: true } : wrongValue(rng));
      break;
    case 2: // missing key
      if (keys.length) delete (target as Record<string, unknown>)[rng.pick(keys)];
      break;
    case 3: // the discriminator
      (root as Record<string, unknown>).type = rng.pick(TYPE_VALUES);
      break;
    case 4: // array tricks
      if (Array.isArray(target)) target.push(rng.pick(['screen', 'screen', 'nope', 1, null]));
      else (target as Record<string, unknown>)[rng.pick(keys.length ? keys : ['x'])] = Array.from({ length: rng.range(0, 20) }, () => rng.pick(['screen', 'chat', 'x']));
      break;
    default: // number edge cases everywhere a number may go
      if (keys.length) (target as Record<string, unknown>)[rng.pick(keys)] = rng.pick([-1, 0.5, 2 ** 53, -(2 ** 53), 1e-300, Number.MAX_VALUE, -0]);
  }
  return root;
}

const INVALID_UTF8 = [
  [0xff],
  [0xfe],
  [0xc0, 0xaf], // overlong '/'
  [0xe0, 0x80, 0xaf], // overlong
  [0xed, 0xa0, 0x80], // UTF-16 surrogate in UTF-8
  [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0x80], // lone continuation
  [0xc3], // truncated sequence
  [0xe2, 0x82], // truncated sequence
];

/** Byte- and text-level mutation of the encoded JSON. */
function mutateBytes(rng: Rng, bytes: Uint8Array): Uint8Array {
  const at = rng.int(bytes.length + 1);
  switch (rng.int(9)) {
    case 0:
      return concat([bytes.subarray(0, at), Uint8Array.from(rng.pick(INVALID_UTF8)), bytes.subarray(at)]);
    case 1:
      return bytes.slice(0, at);
    case 2: {
      const b = bytes.slice();
      for (let k = rng.range(1, 4); k > 0 && b.length; k--) b[rng.int(b.length)]! ^= 1 << rng.int(8);
      return b;
    }
    case 3:
      return concat([Uint8Array.of(0xef, 0xbb, 0xbf), bytes]); // a BOM
    case 4:
      return concat([bytes, protocol.utf8(rng.pick([' ', '\n', '\u0000', ',', '}', '{}', ' // x']))]);
    case 5: {
      const d = rng.chance(0.02) ? 200_000 : rng.range(100, 5000); // V8's JSON.parse nests without recursion limits
      return protocol.utf8('['.repeat(d) + ']'.repeat(rng.chance(0.5) ? d : d - 1));
    }
    case 6: {
      // a duplicate key: JSON.parse keeps the last one
      const s = new TextDecoder().decode(bytes);
      return protocol.utf8(s.replace(/^\{/, `{"type":${JSON.stringify(rng.pick(['ping', 'register', '__proto__', 'x']))},`));
    }
    case 7:
      return protocol.utf8(rng.pick(['', 'null', 'true', '0', '"register"', '[]', '{}', '{"__proto__":{"polluted":1}}', '{"type":"register","__proto__":{"isAdmin":true}}', '1e999', '-', 'NaN', '{"type":"ping","id":1e999,"t":0}']));
    default:
      return rng.bytes(rng.size(100));
  }
}

describe('decodeJson with every schema under fuzzing', () => {
  it('has a valid sample for every exported schema', () => {
    expect(schemas.length).toBeGreaterThanOrEqual(11);
    for (const [name, schema] of schemas) {
      expect(samples[name], `add a sample generator for ${name}`).toBeTypeOf('function');
      const rng = new Rng(seedFor(name));
      for (let i = 0; i < 200; i++) {
        const v = samples[name]!(rng);
        const r = decodeJson(schema, encodeJson(v));
        expect(r.ok, `${name}: ${JSON.stringify(v)} -> ${r.ok ? '' : r.error.message}`).toBe(true);
      }
    }
  });

  it(`never throws, only { ok: false } with a ProtocolError, no prototype pollution: ${COUNT.json} mutated messages`, async () => {
    const protoNames = Object.getOwnPropertyNames(Object.prototype).sort().join();
    let rejected = 0;
    let accepted = 0;
    await fuzz('json', COUNT.json, (rng) => {
      const [name, schema] = rng.pick(schemas);
      const valid = samples[name]!(rng);
      const validBytes = encodeJson(valid);
      let input: Uint8Array;
      const mode = rng.int(10);
      if (mode < 5) input = encodeJson(mutateValue(rng, valid));
      else if (mode < 9) input = mutateBytes(rng, mode < 7 ? validBytes : encodeJson(mutateValue(rng, valid)));
      else input = validBytes;
      let r: protocol.Result<unknown>;
      fed.json++;
      try {
        r = decodeJson(schema, input);
      } catch (err) {
        throw new FuzzFailure(`decodeJson(${name}) threw ${String(err)} for ${hex(input)}`);
      }
      if (r.ok) {
        accepted++;
        // what it accepts is valid, stays valid through a round trip, and has plain prototypes
        check(schema.safeParse(JSON.parse(JSON.stringify(r.value))).success, () => `${name} accepted a value that does not round-trip: ${hex(input)}`);
        if (r.value && typeof r.value === 'object') {
          check(!Object.hasOwn(r.value, '__proto__'), () => `${name} accepted an own __proto__ key`);
          check(Object.getPrototypeOf(r.value) === Object.prototype || Array.isArray(r.value), () => `${name} returned an object with a foreign prototype`);
        }
      } else {
        rejected++;
        check(r.error instanceof ProtocolError && r.error.reason === 'malformed', () => `${name}: error is not a malformed ProtocolError`);
        check(typeof r.error.message === 'string' && r.error.message.length > 0, () => 'empty error message');
      }
      check(({} as Record<string, unknown>).polluted === undefined && ({} as Record<string, unknown>).isAdmin === undefined, () => 'Object.prototype was polluted');
      check(Object.getOwnPropertyNames(Object.prototype).sort().join() === protoNames, () => 'Object.prototype changed');
      // valid input still decodes after the mutation (module-level TextDecoder etc. not left broken)
      const again = decodeJson(schema, validBytes);
      check(again.ok && canon(again.value) === canon(valid), () => `${name}: valid input no longer decodes after ${hex(input)}`);
    });
    expect(rejected).toBeGreaterThan(COUNT.json / 3);
    expect(accepted).toBeGreaterThan(COUNT.json / 20);
  });

  it('strict schemas reject prototype-pollution keys and odd discriminators for every message type', () => {
    const rng = new Rng(seedFor('pollution'));
    for (const [name, schema] of schemas) {
      for (let i = 0; i < 20; i++) {
        const valid = samples[name]!(rng);
        if (!valid || typeof valid !== 'object') continue;
        for (const key of POLLUTION_KEYS) {
          const text = JSON.stringify(valid).replace(/^\{/, `{${JSON.stringify(key)}:{"polluted":true},`);
          const r = decodeJson(schema, protocol.utf8(text));
          expect(r.ok, `${name} with ${key}`).toBe(false);
        }
        for (const type of ODD_TYPES) {
          const r = decodeJson(schema, encodeJson({ ...(valid as object), type }));
          expect(r.ok, `${name} type=${JSON.stringify(type)}`).toBe(false);
        }
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
// ChannelOpener.open with mutated sealed frames
// ---------------------------------------------------------------------------------------------

async function channelPair(rng: Rng, direction: Direction = 't2c') {
  const keys = { key: rng.bytes(32), iv: rng.bytes(12) };
  const channelId = rng.bytes(16);
  const sealer = await ChannelSealer.create(keys, channelId, direction);
  const opener = () => ChannelOpener.create(keys, channelId, direction);
  return { keys, channelId, sealer, opener };
}

type Expected = 'ok' | 'tampered' | 'replayed' | 'out-of-order' | 'malformed' | 'any';

describe('ChannelOpener.open under fuzzing', () => {
  it(`rejects every mutated, replayed, reordered or foreign frame with the right ProtocolError and stays failed: ${COUNT.channelScenarios} scenarios`, async () => {
    let opened = 0;
    let calls = 0;
    await fuzz('channel', COUNT.channelScenarios, async (rng) => {
      const { keys, channelId, sealer, opener } = await channelPair(rng);
      const plains = Array.from({ length: rng.range(2, 6) }, () => rng.bytes(rng.size(300)));
      const sealed: Uint8Array[] = [];
      for (const p of plains) sealed.push(await sealer.seal(p));

      const at = rng.int(sealed.length);
      const frames = sealed.slice(0, at);
      let bad: Uint8Array;
      let expected: Expected;
      const orig = sealed[at]!;
      switch (rng.int(11)) {
        case 0: {
          // a bit flip in the sequence number, ciphertext or tag
          bad = orig.slice();
          bad[rng.range(1, bad.length - 1)]! ^= 1 << rng.int(8);
          expected = 'tampered';
          break;
        }
        case 1: {
          // a flip of the type byte
          bad = orig.slice();
          bad[0]! ^= 1 << rng.int(8);
          expected = 'any';
          break;
        }
        case 2: {
          const len = rng.int(orig.length);
          bad = orig.slice(0, len);
          expected = len < SEALED_HEADER + 16 ? 'malformed' : 'tampered';
          break;
        }
        case 3:
          bad = concat([orig, rng.bytes(rng.range(1, 20))]);
          expected = 'tampered';
          break;
        case 4:
          if (at === 0) {
            bad = sealed[1]!; // skips frame 0
            expected = 'out-of-order';
          } else {
            bad = sealed[rng.int(at)]!; // a replay
            expected = 'replayed';
          }
          break;
        case 5:
          bad = sealed[Math.min(sealed.length - 1, at + 1)]!;
          expected = at + 1 < sealed.length ? 'out-of-order' : 'ok';
          break;
        case 6: {
          // sealed for the other direction or another channel, same keys and number
          const variant = rng.int(3); // never the same channel and direction
          const other = await ChannelSealer.create(keys, variant === 0 ? channelId : rng.bytes(16), variant === 2 ? 't2c' : 'c2t');
          let f = await other.seal(plains[0]!);
          for (let k = 0; k < at; k++) f = await other.seal(plains[0]!);
          bad = f;
          expected = 'tampered';
          break;
        }
        case 7:
          bad = rng.bytes(rng.size(100));
          expected = 'any';
          break;
        case 8:
          bad = encodeHandshake(rng.range(1, 4) as 1, rng.bytes(rng.int(64)));
          expected = 'any';
          break;
        case 9: {
          // a forged header with a huge sequence number, valid-looking length
          bad = concat([protocol.encodeSealedHeader(rng.chance(0.5) ? 2n ** 64n - 1n : BigInt(rng.u32())), orig.subarray(SEALED_HEADER)]);
          expected = 'tampered';
          break;
        }
        default:
          bad = mutateStream(rng, orig, 64);
          expected = 'any';
      }
      if (sameBytes(bad, orig)) expected = 'ok'; // a mutation that changed nothing
      frames.push(bad, ...sealed.slice(at + 1), rng.bytes(30));

      const o = await opener();
      // not awaited one by one: the opener must keep call order itself
      const results = await Promise.allSettled(frames.map((f) => o.open(f)));
      calls += results.length;
      fed.channelOpen += results.length;
      let firstError: ProtocolError | undefined;
      results.forEach((r, i) => {
        if (r.status === 'rejected') {
          check(r.reason instanceof ProtocolError, () => `open threw a non-ProtocolError: ${String(r.reason)}`);
          if (firstError) check(r.reason === firstError, () => 'after a failure, later calls must fail with the same error');
          firstError ??= r.reason;
        } else {
          check(!firstError, () => 'a frame opened after the channel failed');
          check(i < plains.length && sameBytes(r.value, plains[i]!), () => `frame ${i} opened to the wrong plaintext`);
          opened++;
        }
      });
      for (let i = 0; i < at; i++) check(results[i]!.status === 'fulfilled', () => `valid frame ${i} before the bad one failed`);
      const badResult = results[at]!;
      if (expected === 'ok') check(badResult.status === 'fulfilled', () => 'expected the frame to open');
      else {
        check(badResult.status === 'rejected', () => `mutated frame (${expected}) opened: ${hex(bad)}`);
        const reason = (badResult.reason as ProtocolError).reason;
        if (expected !== 'any') check(reason === expected, () => `expected ${expected}, got ${reason} for ${hex(bad)}`);
      }

      // valid frames still open on a fresh opener after the mutations of others
      const fresh = await opener();
      for (let i = 0; i < sealed.length; i++) {
        const plain = await fresh.open(sealed[i]!);
        check(sameBytes(plain, plains[i]!), () => `fresh opener: frame ${i} differs`);
      }
      calls += sealed.length;
      fed.channelOpen += sealed.length;
      check(fresh.received === BigInt(sealed.length), () => 'fresh opener count');
    });
    expect(opened).toBeGreaterThan(0);
    expect(calls).toBeGreaterThan(COUNT.channelScenarios * 5);
  });
});
