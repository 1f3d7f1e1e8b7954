import { ProtocolError } from '../errors.js';
import { PROTOCOL_LABEL } from '../version.js';
import { SEALED_HEADER, decodePeerPayload, encodeSealedHeader } from '../codec/peer.js';
import { concatBytes, utf8 } from './bytes.js';
import type { DirectionKeys } from './keys.js';

/**
 * The encrypted channel: AES-256-GCM (WebCrypto) with one key and nonce base per direction.
 * Each frame carries a u64 sequence number that starts at 0 and grows by exactly 1; the number,
 * the direction and the channel id are authenticated as associated data. The opener accepts only
 * the next number: a repeat is a replay, a jump is a dropped or reordered frame, and either ends
 * the session, as does a frame that fails authentication.
 */
export type Direction = 't2c' | 'c2t';
/** The byte that names a direction in associated data and acknowledgement tags. */
export const DIRECTION_BYTE: Readonly<Record<Direction, number>> = { t2c: 1, c2t: 2 };
const LABEL = utf8(PROTOCOL_LABEL);
const TAG_BYTES = 16;

function nonceFor(iv: Uint8Array, seq: bigint): Uint8Array {
  const nonce = iv.slice();
  const view = new DataView(nonce.buffer);
  view.setBigUint64(4, view.getBigUint64(4) ^ seq);
  return nonce;
}

function aad(channelId: Uint8Array, direction: Direction, header: Uint8Array): Uint8Array {
  return concatBytes(LABEL, channelId, Uint8Array.of(DIRECTION_BYTE[direction]), header);
}

async function importKey(raw: Uint8Array, usage: 'encrypt' | 'decrypt'): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, 'AES-GCM', false, [usage]);
}

const MAX_SEQ = 2n ** 64n - 1n;

export class ChannelSealer {
  private seq = 0n;
  private constructor(
    private readonly key: CryptoKey,
    private readonly iv: Uint8Array,
    private readonly channelId: Uint8Array,
    private readonly direction: Direction,
  ) {}

  static async create(keys: DirectionKeys, channelId: Uint8Array, direction: Direction): Promise<ChannelSealer> {
    return new ChannelSealer(await importKey(keys.key, 'encrypt'), keys.iv.slice(), channelId.slice(), direction);
  }

  /** Seals one plaintext into a SEALED peer payload. Call in send order: the number is taken at call time. */
  async seal(plaintext: Uint8Array): Promise<Uint8Array> {
    if (this.seq === MAX_SEQ) throw ProtocolError.protocol('sequence numbers exhausted');
    const seq = this.seq++;
    const header = encodeSealedHeader(seq);
    const ciphertext = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv: nonceFor(this.iv, seq) as Uint8Array<ArrayBuffer>, additionalData: aad(this.channelId, this.direction, header) as Uint8Array<ArrayBuffer>, tagLength: 128 },
      this.key,
      plaintext as Uint8Array<ArrayBuffer>,
    );
    return concatBytes(header, new Uint8Array(ciphertext));
  }

  /** Number of frames sealed so far. */
  get sent(): bigint {
    return this.seq;
  }
}

export class ChannelOpener {
  private next = 0n;
  private failed: ProtocolError | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly key: CryptoKey,
    private readonly iv: Uint8Array,
    private readonly channelId: Uint8Array,
    private readonly direction: Direction,
  ) {}

  static async create(keys: DirectionKeys, channelId: Uint8Array, direction: Direction): Promise<ChannelOpener> {
    return new ChannelOpener(await importKey(keys.key, 'decrypt'), keys.iv.slice(), channelId.slice(), direction);
  }

  /**
   * Opens a SEALED peer payload. Calls are processed one after another in call order, so the sequence
   * check holds even when the caller does not await. After the first failure every call fails.
   */
  open(payload: Uint8Array): Promise<Uint8Array> {
    const result = this.queue.then(() => this.openNow(payload));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async openNow(payload: Uint8Array): Promise<Uint8Array> {
    if (this.failed) throw this.failed;
    try {
      const decoded = decodePeerPayload(payload);
      if (decoded.type !== 'sealed') throw ProtocolError.protocol('expected a sealed frame');
      if (decoded.ciphertext.length < TAG_BYTES) throw ProtocolError.malformed('sealed frame too short');
      let plain: ArrayBuffer;
      try {
        plain = await crypto.subtle.decrypt(
          { name: 'AES-GCM', iv: nonceFor(this.iv, decoded.seq) as Uint8Array<ArrayBuffer>, additionalData: aad(this.channelId, this.direction, decoded.header) as Uint8Array<ArrayBuffer>, tagLength: 128 },
          this.key,
          decoded.ciphertext as Uint8Array<ArrayBuffer>,
        );
      } catch {
        throw ProtocolError.tampered(`frame ${decoded.seq} failed authentication`);
      }
      if (decoded.seq < this.next) throw ProtocolError.replayed(decoded.seq, this.next);
      if (decoded.seq > this.next) throw ProtocolError.outOfOrder(decoded.seq, this.next);
      this.next++;
      return new Uint8Array(plain);
    } catch (err) {
      this.failed = err instanceof ProtocolError ? err : ProtocolError.malformed(String(err));
      throw this.failed;
    }
  }

  /** Number of frames opened so far (the next expected sequence number). */
  get received(): bigint {
    return this.next;
  }
}

export { SEALED_HEADER };
