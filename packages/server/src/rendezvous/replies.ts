import { decodeJson, type ServerError } from '@fernhilfe/protocol';
import type { z } from 'zod';
import { CloseCode, type Endpoint } from '../relay/endpoint.js';

/** Tells a connection why a message was refused; a message that breaks the protocol also closes it. */
export function refuse(endpoint: Endpoint, code: Extract<ServerError['code'], 'bad-message' | 'already-registered' | 'terms-outdated' | 'resume-refused'>, message: string): void {
  endpoint.sendControl({ type: 'error', code, message });
  if (code === 'bad-message' || code === 'resume-refused') endpoint.close(CloseCode.policy, message);
}

/** One handler for each message type of one side. */
export type Handlers<M extends { type: string }> = { [K in M['type']]: (m: Extract<M, { type: K }>) => void };

/**
 * The control path of one connection: each message is decoded once with its side's schema and handed
 * to the handler of its type; one that does not decode closes the connection with the reason.
 */
export function dispatchControl<M extends { type: string }>(endpoint: Endpoint, schema: z.ZodType<M>, handlers: Handlers<M>): (body: Uint8Array) => void {
  return (body) => {
    const msg = decodeJson(schema, body);
    if (!msg.ok) return endpoint.reject(msg.error);
    (handlers[msg.value.type as M['type']] as (m: M) => void)(msg.value);
  };
}

/** Hands a peer frame on to the other side (when there is one yet) and slows the sender to the receiver's pace. */
export function relayPeer(from: Endpoint, to: Endpoint | undefined, body: Uint8Array): void {
  if (!to) return;
  to.sendPeer(body);
  to.throttle(from);
}
