import { x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { FernhilfeError } from '../base-error.js';
import { concatBytes, equalBytes, utf8 } from '../crypto/bytes.js';

/**
 * The encrypted recording file (docs/recording.md): readable only with the operator's X25519 private
 * key. An age-like design made of WebCrypto AES-256-GCM, X25519 and HKDF-SHA-256:
 *
 *   header  = MAGIC (16) | ephemeral public key (32) | sealed file key (32 + 16) | payload salt (16)   = 112 bytes
 *   wrapKey = HKDF-SHA-256(ikm = X25519(ephemeral, recipient), salt = ephemeral pub | recipient pub, info = "fernhilfe recording v1 file key")
 *   sealed  = AES-256-GCM(wrapKey, nonce = 12 zero bytes, fileKey)   (the wrap key is used once)
 *   payKey  = HKDF-SHA-256(ikm = fileKey, salt = payload salt, info = "fernhilfe recording v1 payload")
 *   chunk i = AES-256-GCM(payKey, nonce = i as 11 bytes big-endian | final flag (1 byte, 0 or 1), plaintext, aad = header)
 *
 * Every chunk but the last holds exactly CHUNK_SIZE plaintext bytes; the last one 0..CHUNK_SIZE and
 * carries the final flag. So a reordered, dropped, repeated or altered chunk fails its tag, and a file
 * cut at a chunk border lacks the final chunk: both are refused.
 */
export const RECORDING_MAGIC = utf8('fernhilfe-rec-v1');
export const RECORDING_CHUNK_SIZE = 64 * 1024;
export const RECORDING_TAG_SIZE = 16;
export const RECORDING_HEADER_SIZE = 16 + 32 + 48 + 16;
/** one sealed chunk as it lies in the file (the last one may be shorter) */
export const RECORDING_SEALED_CHUNK_SIZE = RECORDING_CHUNK_SIZE + RECORDING_TAG_SIZE;
const WRAP_INFO = utf8('fernhilfe recording v1 file key');
const PAYLOAD_INFO = utf8('fernhilfe recording v1 payload');
const MAX_CHUNKS = 2 ** 40;

export type RecordingFormatFailure = 'not-a-recording' | 'wrong-key' | 'tampered' | 'truncated' | 'bad-key';

export class RecordingFormatError extends FernhilfeError<RecordingFormatFailure> {
  override readonly name = 'RecordingFormatError';
}

export interface RecordingKeyPair {
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

export function generateRecordingKeyPair(): RecordingKeyPair {
  const { secretKey, publicKey } = x25519.keygen();
  return { publicKey, privateKey: secretKey };
}

export function recordingPublicKeyOf(privateKey: Uint8Array): Uint8Array {
  if (privateKey.length !== 32) throw new RecordingFormatError('bad-key', 'a recording private key is 32 bytes');
  return x25519.getPublicKey(privateKey);
}

/** Unpadded base64url for keys in files and environment variables. */
export function encodeRecordingKey(key: Uint8Array): string {
  let s = '';
  for (const b of key) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeRecordingKey(text: string): Uint8Array {
  const t = text.trim();
  if (!/^[A-Za-z0-9_-]{43}$/.test(t)) throw new RecordingFormatError('bad-key', 'a recording key is 43 characters of base64url (32 bytes)');
  const bin = atob(t.replace(/-/g, '+').replace(/_/g, '/') + '=');
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;
const aesKey = (raw: Uint8Array, usage: 'encrypt' | 'decrypt'): Promise<CryptoKey> =>
  subtle().importKey('raw', raw as Uint8Array<ArrayBuffer>, 'AES-GCM', false, [usage]);

function chunkNonce(index: number, final: boolean): Uint8Array<ArrayBuffer> {
  const nonce = new Uint8Array(12);
  let n = index;
  for (let i = 10; i >= 0 && n > 0; i--) {
    nonce[i] = n % 256;
    n = Math.floor(n / 256);
  }
  nonce[11] = final ? 1 : 0;
  return nonce;
}

async function gcm(op: 'encrypt' | 'decrypt', key: CryptoKey, iv: Uint8Array<ArrayBuffer>, data: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
  const params: AesGcmParams = { name: 'AES-GCM', iv, additionalData: aad as Uint8Array<ArrayBuffer> };
  return new Uint8Array(await subtle()[op](params, key, data as Uint8Array<ArrayBuffer>));
}

/** Randomness the writer uses; a test passes fixed bytes for the known-answer vector. */
export interface SealRandom {
  ephemeralPrivate: Uint8Array;
  fileKey: Uint8Array;
  salt: Uint8Array;
}

const randomBytes = (n: number): Uint8Array => globalThis.crypto.getRandomValues(new Uint8Array(n));

/**
 * Encrypts a stream of bytes to a recipient: `push` the plaintext as it comes, `finish` at the end.
 * Each call returns the ciphertext bytes ready to store (the header comes with the first output).
 */
export class RecordingSealer {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private index = 0;
  private headerSent = false;
  private finished = false;
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly header: Uint8Array,
    private readonly key: CryptoKey,
  ) {}

  static async create(recipient: Uint8Array, random?: SealRandom): Promise<RecordingSealer> {
    if (recipient.length !== 32) throw new RecordingFormatError('bad-key', 'a recording public key is 32 bytes');
    const ephemeralPrivate = random?.ephemeralPrivate ?? x25519.utils.randomSecretKey();
    const fileKey = random?.fileKey ?? randomBytes(32);
    const salt = random?.salt ?? randomBytes(16);
    const ephemeralPublic = x25519.getPublicKey(ephemeralPrivate);
    const shared = x25519.getSharedSecret(ephemeralPrivate, recipient);
    const wrapKey = hkdf(sha256, shared, concatBytes(ephemeralPublic, recipient), WRAP_INFO, 32);
    const sealed = await gcm('encrypt', await aesKey(wrapKey, 'encrypt'), new Uint8Array(12), fileKey, new Uint8Array(0));
    const header = concatBytes(RECORDING_MAGIC, ephemeralPublic, sealed, salt);
    const payKey = hkdf(sha256, fileKey, salt, PAYLOAD_INFO, 32);
    const sealer = new RecordingSealer(header, await aesKey(payKey, 'encrypt'));
    for (const b of [shared, wrapKey, payKey, ...(random ? [] : [fileKey, ephemeralPrivate])]) b.fill(0);
    return sealer;
  }

  /** Plaintext in; the ciphertext of every chunk that is full (and more follows) out. */
  push(plain: Uint8Array): Promise<Uint8Array> {
    return this.serial(async () => {
      if (this.finished) throw new RecordingFormatError('truncated', 'the recording was already finished');
      this.pending.push(plain.slice());
      this.pendingBytes += plain.length;
      const out: Uint8Array[] = this.takeHeader();
      // keep at least one byte back: the last chunk must be the one marked final
      while (this.pendingBytes > RECORDING_CHUNK_SIZE) out.push(await this.seal(this.take(RECORDING_CHUNK_SIZE), false));
      return concatBytes(...out);
    });
  }

  /** The last chunk (with the final flag); nothing may be pushed after it. */
  finish(): Promise<Uint8Array> {
    return this.serial(async () => {
      if (this.finished) return new Uint8Array(0);
      this.finished = true;
      const out = this.takeHeader();
      out.push(await this.seal(this.take(this.pendingBytes), true));
      return concatBytes(...out);
    });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private takeHeader(): Uint8Array[] {
    if (this.headerSent) return [];
    this.headerSent = true;
    return [this.header];
  }

  private take(n: number): Uint8Array {
    const all = concatBytes(...this.pending);
    this.pending = n < all.length ? [all.slice(n)] : [];
    this.pendingBytes = all.length - n;
    return all.subarray(0, n);
  }

  private seal(plain: Uint8Array, final: boolean): Promise<Uint8Array> {
    const index = this.index++;
    if (index >= MAX_CHUNKS) throw new RecordingFormatError('tampered', 'too many chunks');
    return gcm('encrypt', this.key, chunkNonce(index, final), plain, this.header);
  }
}

/** Encrypts a whole buffer (tests, small files). */
export async function sealRecording(recipient: Uint8Array, plain: Uint8Array, random?: SealRandom): Promise<Uint8Array> {
  const sealer = await RecordingSealer.create(recipient, random);
  return concatBytes(await sealer.push(plain), await sealer.finish());
}

/** Opens the header: the key for the chunks, or a plain error (not a recording, wrong key). */
export async function openRecordingHeader(privateKey: Uint8Array, header: Uint8Array): Promise<CryptoKey> {
  if (privateKey.length !== 32) throw new RecordingFormatError('bad-key', 'a recording private key is 32 bytes');
  if (header.length < RECORDING_HEADER_SIZE || !equalBytes(header.subarray(0, 16), RECORDING_MAGIC)) {
    throw new RecordingFormatError('not-a-recording', 'this is not a Fernhilfe recording (its first bytes are wrong)');
  }
  const ephemeralPublic = header.subarray(16, 48);
  const sealed = header.subarray(48, 96);
  const salt = header.subarray(96, 112);
  const recipient = x25519.getPublicKey(privateKey);
  let fileKey: Uint8Array;
  try {
    const shared = x25519.getSharedSecret(privateKey, ephemeralPublic);
    const wrapKey = hkdf(sha256, shared, concatBytes(ephemeralPublic, recipient), WRAP_INFO, 32);
    fileKey = await gcm('decrypt', await aesKey(wrapKey, 'decrypt'), new Uint8Array(12), sealed, new Uint8Array(0));
  } catch (err) {
    throw new RecordingFormatError('wrong-key', 'this recording was not made for this key (or its header was altered)', { cause: err });
  }
  const payKey = hkdf(sha256, fileKey, salt, PAYLOAD_INFO, 32);
  fileKey.fill(0);
  return aesKey(payKey, 'decrypt');
}

/**
 * Decrypts a whole file chunk by chunk, handing each plaintext chunk to `sink` only after its tag
 * checked out. The caller must still discard what it wrote when this throws (a later chunk can fail).
 */
export async function openRecording(privateKey: Uint8Array, file: Uint8Array, sink: (plain: Uint8Array) => void | Promise<void>): Promise<void> {
  const header = file.subarray(0, RECORDING_HEADER_SIZE);
  const key = await openRecordingHeader(privateKey, header);
  let offset = RECORDING_HEADER_SIZE;
  let index = 0;
  for (;;) {
    const rest = file.length - offset;
    if (rest < RECORDING_TAG_SIZE) throw new RecordingFormatError('truncated', 'the recording ends before its last chunk (it was cut short)');
    const final = rest <= RECORDING_SEALED_CHUNK_SIZE;
    const sealed = file.subarray(offset, offset + Math.min(rest, RECORDING_SEALED_CHUNK_SIZE));
    let plain: Uint8Array;
    try {
      plain = await gcm('decrypt', key, chunkNonce(index, final), sealed, header);
    } catch (err) {
      const cut = final && sealed.length === RECORDING_SEALED_CHUNK_SIZE;
      throw cut
        ? new RecordingFormatError('truncated', 'the recording ends before its last chunk (it was cut short)', { cause: err })
        : new RecordingFormatError('tampered', `chunk ${index} of the recording was altered, moved or cut`, { cause: err });
    }
    await sink(plain);
    if (final) return;
    offset += RECORDING_SEALED_CHUNK_SIZE;
    index++;
  }
}
