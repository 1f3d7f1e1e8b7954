import { describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, fromHex, toHex, utf8 } from '../crypto/bytes.js';
import {
  RECORDING_CHUNK_SIZE,
  RECORDING_HEADER_SIZE,
  RECORDING_SEALED_CHUNK_SIZE,
  RecordingSealer,
  decodeRecordingKey,
  encodeRecordingKey,
  generateRecordingKeyPair,
  openRecording,
  recordingPublicKeyOf,
  sealRecording,
  type RecordingFormatFailure,
} from './format.js';

const fill = (n: number, v: number) => new Uint8Array(n).fill(v);
/** the known-answer vector of docs/recording.md */
const vector = {
  recipientPrivate: fill(32, 0x11),
  random: { ephemeralPrivate: fill(32, 0x22), fileKey: fill(32, 0x33), salt: fill(16, 0x44) },
  plain: utf8('Fernhilfe recording test vector'),
};

async function open(privateKey: Uint8Array, file: Uint8Array): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  await openRecording(privateKey, file, (p) => void parts.push(p));
  return concatBytes(...parts);
}

async function failure(p: Promise<unknown>): Promise<RecordingFormatFailure | 'none'> {
  try {
    await p;
    return 'none';
  } catch (err) {
    return (err as { reason: RecordingFormatFailure }).reason;
  }
}

function pattern(n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + 7) & 0xff;
  return b;
}

describe('recording file format', () => {
  it('matches the published known-answer vector', async () => {
    const recipient = recordingPublicKeyOf(vector.recipientPrivate);
    const file = await sealRecording(recipient, vector.plain, vector.random);
    expect(encodeRecordingKey(recipient)).toBe(KAT.recipientPublic);
    expect(toHex(file)).toBe(KAT.file);
    expect(await open(vector.recipientPrivate, fromHex(KAT.file))).toEqual(vector.plain);
  });

  it('round-trips streams of every size around the chunk borders, pushed in odd pieces', async () => {
    const keys = generateRecordingKeyPair();
    for (const size of [0, 1, RECORDING_CHUNK_SIZE - 1, RECORDING_CHUNK_SIZE, RECORDING_CHUNK_SIZE + 1, 3 * RECORDING_CHUNK_SIZE + 5]) {
      const plain = pattern(size);
      const sealer = await RecordingSealer.create(keys.publicKey);
      const out: Uint8Array[] = [];
      for (let at = 0; at < size; at += 20_000) out.push(await sealer.push(plain.subarray(at, at + 20_000)));
      out.push(await sealer.finish());
      const file = concatBytes(...out);
      const chunks = Math.max(1, Math.ceil(size / RECORDING_CHUNK_SIZE));
      expect(file.length).toBe(RECORDING_HEADER_SIZE + size + 16 * chunks);
      expect(toHex(sha256(await open(keys.privateKey, file)))).toBe(toHex(sha256(plain)));
    }
  });

  it('refuses a wrong key, an altered byte, reordered chunks and a file cut short', async () => {
    const keys = generateRecordingKeyPair();
    const plain = pattern(2 * RECORDING_CHUNK_SIZE + 100);
    const file = await sealRecording(keys.publicKey, plain);
    expect(await failure(open(generateRecordingKeyPair().privateKey, file))).toBe('wrong-key');
    const flipped = file.slice();
    flipped[RECORDING_HEADER_SIZE + 5000] = (flipped[RECORDING_HEADER_SIZE + 5000] ?? 0) ^ 1;
    expect(await failure(open(keys.privateKey, flipped))).toBe('tampered');
    const headerFlip = file.slice();
    headerFlip[100] = (headerFlip[100] ?? 0) ^ 1; // the salt: authenticated as every chunk's aad
    expect(await failure(open(keys.privateKey, headerFlip))).toBe('tampered');
    const c0 = file.subarray(RECORDING_HEADER_SIZE, RECORDING_HEADER_SIZE + RECORDING_SEALED_CHUNK_SIZE);
    const c1 = file.subarray(RECORDING_HEADER_SIZE + RECORDING_SEALED_CHUNK_SIZE, RECORDING_HEADER_SIZE + 2 * RECORDING_SEALED_CHUNK_SIZE);
    const swapped = concatBytes(file.subarray(0, RECORDING_HEADER_SIZE), c1, c0, file.subarray(RECORDING_HEADER_SIZE + 2 * RECORDING_SEALED_CHUNK_SIZE));
    expect(await failure(open(keys.privateKey, swapped))).toBe('tampered');
    expect(await failure(open(keys.privateKey, file.subarray(0, RECORDING_HEADER_SIZE + 2 * RECORDING_SEALED_CHUNK_SIZE)))).toBe('truncated');
    expect(await failure(open(keys.privateKey, file.subarray(0, RECORDING_HEADER_SIZE)))).toBe('truncated');
    expect(await failure(open(keys.privateKey, file.subarray(0, file.length - 1)))).toBe('tampered');
    expect(await failure(open(keys.privateKey, utf8('\x1aE\xdf\xa3 not a recording at all, a WebM maybe.......................................................................')))).toBe(
      'not-a-recording',
    );
  });

  it('contains neither the plaintext nor a WebM header', async () => {
    const keys = generateRecordingKeyPair();
    const plain = Uint8Array.from([0x1a, 0x45, 0xdf, 0xa3, ...pattern(1000)]);
    const hex = toHex(await sealRecording(keys.publicKey, plain));
    expect(hex).not.toContain('1a45dfa3');
    expect(hex).not.toContain(toHex(plain.subarray(4, 40)));
  });

  it('reads and writes keys as base64url and refuses anything else', () => {
    const keys = generateRecordingKeyPair();
    expect(decodeRecordingKey(encodeRecordingKey(keys.publicKey))).toEqual(keys.publicKey);
    expect(() => decodeRecordingKey('not a key')).toThrow(/43 characters/);
    expect(toHex(sha256(keys.privateKey))).toHaveLength(64);
  });
});

const KAT = {
  recipientPublic: 'e06Qm75__kTEZaIgA31gjuNYl9Me-XLwf3SJLLD3PxM',
  file:
    '6665726e68696c66652d7265632d76310faa684ed28867b97f4a6a2dee5df8ce974e76b7018e3f22a1c4cf2678570f201e0f1082dd1a8424906e5e479c22ab4a721eb61df4c8fc24d298c014e050faa69a4eaf7bcee874af3950b96e516d9798444444444444444444444444444444443ec1bf24f1d50ff61d240bc8bafaa4294663731c844fcdae5e1e3f79fb7d469b4c9222ee9294fc40b9025851277ddf',
};
