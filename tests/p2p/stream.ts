import { createHash } from 'node:crypto';
import wrtc from '@roamhq/wrtc';
import type { PeerConnectionClass, SecureSession } from '@fernhilfe/client';
import { LogicalChannel } from '@fernhilfe/protocol';

/** Streams with known content for the P2P tests (no vitest here: the endpoint child bundles it). */

/** @roamhq/wrtc's RTCPeerConnection, as the Node agent passes it. */
export const NodePeerConnection = wrtc.RTCPeerConnection as unknown as PeerConnectionClass;

/** Deterministic bytes: chunk `i` of a stream. */
export function chunk(i: number, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = (i + 1) * 2654435761;
  for (let j = 0; j < size; j++) {
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    out[j] = x & 0xff;
  }
  return out;
}

/** What the receiving session got on LogicalChannel.data: a running SHA-256 and a byte count. */
export function receiver(session: SecureSession) {
  const hash = createHash('sha256');
  const state = { bytes: 0, chunks: 0 };
  session.on('data', ({ channel, bytes }) => {
    if (channel !== LogicalChannel.data) return;
    hash.update(bytes);
    state.bytes += bytes.length;
    state.chunks++;
  });
  return { state, digest: () => hash.copy().digest('hex') };
}

/** Sends `count` chunks of `size` bytes; returns the SHA-256 of everything sent. */
export async function sendStream(session: SecureSession, count: number, size: number, onChunk?: (i: number) => Promise<void> | void): Promise<string> {
  const hash = createHash('sha256');
  for (let i = 0; i < count; i++) {
    const c = chunk(i, size);
    hash.update(c);
    await session.sendData(LogicalChannel.data, c);
    await onChunk?.(i);
  }
  return hash.digest('hex');
}
