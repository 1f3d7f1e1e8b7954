import './zod-config.js';
import { z } from 'zod';
import { customerIdSchema, endReasonSchema, hexNonceSchema, resumeChallengeSchema, resumePathSchema } from './common.js';

const displayName = z.string().min(1).max(120);

export const serverErrorCodes = [
  'bad-message', // a message that does not parse or is not allowed now
  'too-large',
  'terms-outdated', // registration with terms that are not the current ones
  'not-registered',
  'already-registered',
  'rate-limited',
  'resume-refused', // a resume that does not prove the session's key (or no such session any more)
  'server-shutdown',
  'case-refused', // a support case that is unknown, expired, used, or the code is wrong (docs/cases.md)
  'internal',
] as const;
export const serverErrorSchema = z.strictObject({
  type: z.literal('error'),
  code: z.enum(serverErrorCodes),
  message: z.string().max(500),
  retryAfterMs: z.number().int().nonnegative().optional(),
});

const ended = z.strictObject({
  type: z.literal('ended'),
  by: z.enum(['customer', 'technician', 'server']),
  reason: endReasonSchema,
});

/** Server -> either endpoint of an active session, and the answers on a resuming connection. */
const resumeMessages = [
  /** the endpoint's resume key is stored: a dropped connection may be resumed within `graceMs` */
  z.strictObject({ type: z.literal('resume-ready'), graceMs: z.number().int().nonnegative().max(3_600_000) }),
  /** the other endpoint's connection dropped; its frames wait in its retransmit buffer */
  z.strictObject({ type: z.literal('peer-connection-lost') }),
  /** the other endpoint resumed: both are attached again on path `path`; send SYNC now */
  z.strictObject({ type: z.literal('peer-reconnected'), path: resumePathSchema }),
  /** answer to `resume`: sign this (32 random bytes, new for every attempt) */
  z.strictObject({ type: z.literal('resume-challenge'), nonce: resumeChallengeSchema }),
  /** the proof was right: this connection now carries the session; path `path`, the peer attached or not */
  z.strictObject({ type: z.literal('resumed'), path: resumePathSchema, peer: z.enum(['connected', 'disconnected']) }),
] as const;

/**
 * Server -> either endpoint of an active session, right after `resume-ready`: the STUN/TURN servers for
 * the peer-to-peer upgrade (docs/p2p.md). TURN credentials are short-lived (TURN REST API scheme).
 */
export const iceServersMessageSchema = z.strictObject({
  type: z.literal('ice-servers'),
  iceServers: z
    .array(
      z.strictObject({
        urls: z.array(z.string().regex(/^(stun|stuns|turn|turns):[^\s]{1,500}$/, 'a STUN or TURN URL')).min(1).max(8),
        username: z.string().min(1).max(256).optional(),
        credential: z.string().min(1).max(256).optional(),
      }),
    )
    .max(8),
  /** how long the TURN credentials stay valid, in seconds */
  ttlS: z.number().int().nonnegative().max(7 * 86400),
});
export type IceServersMessage = z.infer<typeof iceServersMessageSchema>;

/**
 * The operator's file policy (FILES_MAX_BYTES, FILES_DIRECTIONS; docs/files.md), sent to both endpoints,
 * which enforce it. Absent (an older server): everything allowed.
 */
const filePolicySchema = z.strictObject({
  /** largest file in bytes; 0 = no file transfer */
  maxBytes: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  directions: z.array(z.enum(['to-customer', 'to-technician'])).max(2),
});
export type FilePolicyWire = z.infer<typeof filePolicySchema>;

/** Server -> customer endpoint. */
export const toCustomerSchema = z.discriminatedUnion('type', [
  /** `receipt`: 32 random bytes in hex, the customer's key to its receipt at /receipt#token=… (docs/audit.md) */
  z.strictObject({ type: z.literal('registered'), id: customerIdSchema, receipt: z.string().regex(/^[0-9a-f]{64}$/).optional(), files: filePolicySchema.optional(), case: z.strictObject({ technician: displayName }).optional() }),
  /** A technician is trying this ID now; run the handshake with this nonce. */
  z.strictObject({
    type: z.literal('pairing'),
    nonce: hexNonceSchema,
    technician: z.strictObject({ displayName, company: z.string().max(120) }),
  }),
  /** The attempt ended before a session began. */
  z.strictObject({
    type: z.literal('pairing-aborted'),
    reason: z.enum(['technician-left', 'timeout', 'aborted']),
  }),
  ended,
  serverErrorSchema,
  ...resumeMessages,
  iceServersMessageSchema,
]);
export type ToCustomer = z.infer<typeof toCustomerSchema>;

/** Server -> technician endpoint. */
export const toTechnicianSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('pairing'), nonce: hexNonceSchema, id: customerIdSchema, files: filePolicySchema.optional() }),
  z.strictObject({
    type: z.literal('connect-failed'),
    /** wrong-credentials covers an unknown ID too, so IDs cannot be probed */
    code: z.enum(['wrong-credentials', 'rate-limited', 'busy', 'customer-left', 'timeout']),
    retryAfterMs: z.number().int().nonnegative().optional(),
  }),
  ended,
  serverErrorSchema,
  ...resumeMessages,
  iceServersMessageSchema,
]);
export type ToTechnician = z.infer<typeof toTechnicianSchema>;
export type ServerError = z.infer<typeof serverErrorSchema>;

/** Anything the server sends an endpoint, of either role: what `Endpoint.sendControl` takes. */
export const serverMessageSchema = z.union([toCustomerSchema, toTechnicianSchema]);
export type ServerMessage = ToCustomer | ToTechnician;
