import {
  Emitter,
  FrameDecoder,
  FrameKind,
  ProtocolError,
  decodeJson,
  encodeFrame,
  encodeJson,
  toCustomerSchema,
  toTechnicianSchema,
  type CustomerMessage,
  type Result,
  type Role,
  type TechnicianMessage,
  type ToCustomer,
  type ToTechnician,
} from '@fernhilfe/protocol';
import type { Transport } from './transport.js';

/** What the server may send an endpoint of role `R`. */
export type FromServer<R extends Role> = R extends 'customer' ? ToCustomer : ToTechnician;
/** What an endpoint of role `R` may send the server. */
export type ToServer<R extends Role> = R extends 'customer' ? CustomerMessage : TechnicianMessage;

/**
 * An endpoint's connection to the server: frames over the byte stream, control messages out,
 * control and peer payloads in. Every control message is decoded here, once, against the role's
 * schema: listeners get `control` with a typed message, or `invalid-control` with why it was not one.
 */
export class ServerConnection<R extends Role = Role> extends Emitter<{
  control: FromServer<R>;
  'invalid-control': ProtocolError;
  peer: Uint8Array;
  /** `local`: closed by this side (close(), or bytes that do not frame); else by the server or the network */
  closed: { code: number; reason: string; local: boolean; error?: ProtocolError };
}> {
  private readonly decoder = new FrameDecoder();
  private open = true;

  constructor(
    private readonly transport: Transport,
    readonly role: R,
  ) {
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

  sendControl(message: ToServer<R>): void {
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
      if (frame.kind !== FrameKind.control) this.emit('peer', frame.body);
      else {
        const msg = decodeServerMessage(this.role, frame.body);
        if (msg.ok) this.emit('control', msg.value);
        else this.emit('invalid-control', msg.error);
      }
    }
  }

  private finish(code: number, reason: string, local: boolean, error?: ProtocolError): void {
    if (!this.open) return;
    this.open = false;
    this.emit('closed', error ? { code, reason, local, error } : { code, reason, local });
  }
}

function decodeServerMessage<R extends Role>(role: R, bytes: Uint8Array): Result<FromServer<R>> {
  return (role === 'customer' ? decodeJson(toCustomerSchema, bytes) : decodeJson(toTechnicianSchema, bytes)) as Result<FromServer<R>>;
}
