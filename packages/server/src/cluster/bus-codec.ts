import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * Messages between nodes on the cluster bus (one Redis pub/sub channel per node). Every message
 * belongs to one link (a forwarded connection):
 *
 *   u8 op | 16-byte link id | body
 *
 * CONTROL and PEER bodies are the endpoint's frame bodies, passed on unread (PEER frames are end-to-end
 * encrypted; no node can read them). OPEN and CLOSE carry small JSON, checked with zod on arrival:
 * Redis is the trust boundary between nodes, and a message from it is still input.
 */
export const Op = {
  /** connection node -> home node: a connection was handed off (body: OpenMeta JSON) */
  open: 1,
  /** both ways: a CONTROL frame body */
  control: 2,
  /** both ways: a PEER frame body (opaque) */
  peer: 3,
  /** both ways: the link is closed (body: {code, reason} JSON) */
  close: 4,
  /** both ways: stop sending PEER frames on this link (the receiver's socket is backed up) */
  pause: 5,
  /** both ways: go on */
  resume: 6,
  /** connection node -> home node: the link cannot carry the session (body: an end reason) */
  fail: 7,
  /**
   * home node -> connection node: the connection asked for an ID that a third node holds (a second
   * `connect` after a failed one): hand it there directly (body: RedirectBody JSON); the link ends
   */
  redirect: 8,
} as const;
export type Op = (typeof Op)[keyof typeof Op];
const OPS = new Set<number>(Object.values(Op));

export const LINK_BYTES = 16;

export const openMetaSchema = z.strictObject({
  /** the node that holds the WebSocket */
  from: z.string().min(1).max(64),
  ip: z.string().max(64),
  who: z.discriminatedUnion('role', [
    z.strictObject({ role: z.literal('customer') }),
    z.strictObject({
      role: z.literal('technician'),
      user: z.strictObject({ userId: z.string().min(1).max(64), displayName: z.string().max(200), company: z.string().max(200) }),
    }),
  ]),
  /** the CONTROL message that named the ID (`connect` or `resume`), as UTF-8 JSON */
  first: z.string().max(4096),
});
export type OpenMeta = z.infer<typeof openMetaSchema>;

export const redirectSchema = z.strictObject({ node: z.string().min(1).max(64), first: z.string().max(4096) });

export const closeSchema = z.strictObject({ code: z.number().int().min(1000).max(4999), reason: z.string().max(200) });

export interface BusMessage {
  op: Op;
  link: string;
  body: Buffer;
}

export function newLinkId(): string {
  return randomBytes(LINK_BYTES).toString('hex');
}

export function encodeBusMessage(op: Op, link: string, body: Uint8Array = new Uint8Array()): Buffer {
  const out = Buffer.allocUnsafe(1 + LINK_BYTES + body.byteLength);
  out[0] = op;
  out.write(link, 1, LINK_BYTES, 'hex');
  out.set(body, 1 + LINK_BYTES);
  return out;
}

export function decodeBusMessage(data: Buffer): BusMessage | undefined {
  if (data.byteLength < 1 + LINK_BYTES || !OPS.has(data[0]!)) return undefined;
  return { op: data[0] as Op, link: data.subarray(1, 1 + LINK_BYTES).toString('hex'), body: data.subarray(1 + LINK_BYTES) };
}

/** Parses a JSON body with `schema`; undefined for anything else. */
export function decodeJsonBody<T>(schema: z.ZodType<T>, body: Buffer): T | undefined {
  try {
    const r = schema.safeParse(JSON.parse(body.toString('utf8')));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}
