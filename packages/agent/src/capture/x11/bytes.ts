/** Rounds up to a multiple of 4 (X11 pads every variable-length field to 4 bytes). */
export const pad4 = (n: number): number => (n + 3) & ~3;

/**
 * A request to the X server, little-endian (we open the connection with byte order 'l'):
 *   u8 opcode | u8 data (or extension minor opcode) | u16 length in 4-byte units | body
 */
export function request(opcode: number, data: number, body: Buffer = Buffer.alloc(0)): Buffer {
  const out = Buffer.alloc(4 + pad4(body.length));
  out[0] = opcode;
  out[1] = data;
  out.writeUInt16LE(out.length / 4, 2);
  body.copy(out, 4);
  return out;
}

/** A body of 32-bit words (ids, masks, values). */
export function words(...values: number[]): Buffer {
  const b = Buffer.alloc(4 * values.length);
  values.forEach((v, i) => b.writeUInt32LE(v >>> 0, 4 * i));
  return b;
}

/**
 * Incoming bytes kept as a list of chunks, so that a reply of 8 MB (GetImage) is copied once when
 * complete rather than re-concatenated on every 64 KB read.
 */
export class ByteQueue {
  private chunks: Buffer[] = [];
  length = 0;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  /** The first `n` bytes without consuming them (n <= length). */
  peek(n: number): Buffer {
    const first = this.chunks[0]!;
    if (first.length >= n) return first.subarray(0, n);
    return this.gather(n, false);
  }

  /** Removes and returns the first `n` bytes (n <= length). */
  take(n: number): Buffer {
    const first = this.chunks[0]!;
    if (first.length >= n) {
      const out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      this.length -= n;
      return out;
    }
    return this.gather(n, true);
  }

  private gather(n: number, consume: boolean): Buffer {
    const out = Buffer.allocUnsafe(n);
    let at = 0;
    let i = 0;
    while (at < n) {
      const c = this.chunks[i]!;
      const part = Math.min(c.length, n - at);
      c.copy(out, at, 0, part);
      at += part;
      if (consume) {
        if (part === c.length) this.chunks.shift();
        else this.chunks[0] = c.subarray(part);
      } else i++;
    }
    if (consume) this.length -= n;
    return out;
  }
}
