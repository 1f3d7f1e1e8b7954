import type { Transport } from '../transport.js';

/** Data channel messages stay at 16 KiB, the size every WebRTC stack takes (larger frames are cut). */
export const DATA_CHANNEL_CHUNK = 16 * 1024;

/**
 * An open, ordered, reliable RTCDataChannel as a Transport (noVNC's Websock takes a data channel the
 * same way). Like a WebSocket it is treated as a byte stream: frames are cut into chunks and put back
 * together by the connection's frame decoder, so a 1 MiB frame fits any stack's message limit.
 */
export function dataChannelTransport(dc: RTCDataChannel, chunk = DATA_CHANNEL_CHUNK): Transport {
  dc.binaryType = 'arraybuffer';
  let closed = false;
  const transport: Transport = {
    send(bytes) {
      if (closed || dc.readyState !== 'open') return;
      for (let i = 0; i < bytes.length; i += chunk) {
        const piece = bytes.subarray(i, Math.min(bytes.length, i + chunk));
        dc.send(piece.buffer.slice(piece.byteOffset, piece.byteOffset + piece.byteLength) as ArrayBuffer);
      }
    },
    close() {
      if (closed) return;
      closed = true;
      dc.close();
    },
    get bufferedAmount() {
      return dc.bufferedAmount;
    },
    onMessage: () => undefined,
    onClose: () => undefined,
  };
  dc.addEventListener('message', (event) => {
    const data: unknown = event.data;
    if (data instanceof ArrayBuffer) transport.onMessage(new Uint8Array(data));
    else if (ArrayBuffer.isView(data)) transport.onMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  });
  const onEnd = () => {
    if (closed) return;
    closed = true;
    transport.onClose({ code: 1006, reason: 'direct channel closed' });
  };
  dc.addEventListener('close', onEnd);
  dc.addEventListener('error', onEnd);
  return transport;
}
