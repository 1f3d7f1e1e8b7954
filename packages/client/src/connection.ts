import { FrameDecoder, FrameKind, ProtocolError, encodeFrame, encodeJson } from '@fernhilfe/protocol';
import { Emitter } from '@fernhilfe/protocol';
import type { Transport } from './transport.js';

/**
 * An endpoint's connection to the server: frames over the byte stream, control messages out,
 * control and peer payloads in. Decoding is left to the role (its schema says what may arrive).
 */
export class ServerConnection extends Emitter<{
  control: Uint8Array;
  peer: Uint8Array;
  /** `local`: closed by this side (close(), or bytes that do not frame); else by the server or the network */
  closed: { code: number; reason: string; local: boolean; error?: ProtocolError };
}> {
  private readonly decoder = new FrameDecoder();
  private open = true;

  constructor(private readonly transport: Transport) {
    super();
    transport.onMessage = (bytes) => this.receive(bytes);
    transport.onClose = (info) => this.finish(info.code, info.reason, false);
  }

  get isOpen(): boolean {
    return this.open;
  }

  get bufferedAmount(): number {
    return this.transport.bufferedAmount;
  }

  sendControl(message: object): void {
    if (this.open) this.transport.send(encodeFrame(FrameKind.control, encodeJson(message)));
  }

  sendPeer(body: Uint8Array): void {
    if (this.open) this.transport.send(encodeFrame(FrameKind.peer, body));
  }

  close(reason = 'closed'): void {
    if (!this.open) return;
    this.transport.close(1000, reason.slice(0, 120));
    this.finish(1000, reason, true);
  }

  private receive(bytes: Uint8Array): void {
    if (!this.open) return;
    let frames;
    try {
      frames = this.decoder.push(bytes);
    } catch (err) {
      const error = err instanceof ProtocolError ? err : ProtocolError.malformed(String(err));
      this.finish(1008, error.message, true, error);
      // browsers accept only 1000 and 3000-4999 from scripts
      this.transport.close(1000, error.reason);
      return;
    }
    for (const frame of frames) {
      if (!this.open) return;
      this.emit(frame.kind === FrameKind.control ? 'control' : 'peer', frame.body);
    }
  }

  private finish(code: number, reason: string, local: boolean, error?: ProtocolError): void {
    if (!this.open) return;
    this.open = false;
    this.emit('closed', error ? { code, reason, local, error } : { code, reason, local });
  }
}
