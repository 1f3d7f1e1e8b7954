import './zod-config.js';
import { z } from 'zod';

/**
 * Control messages for the peer-to-peer upgrade (docs/p2p.md): the WebRTC offer, answer and ICE
 * candidates travel between the endpoints inside the encrypted channel, so the server never sees
 * them. Each belongs to one numbered attempt; the technician starts attempts (offerer), the customer
 * answers. Sizes are bounded: a data-channel-only SDP is about 1 KB, a candidate line about 200 bytes.
 */
export const P2P_MAX_ATTEMPT = 1000;
export const p2pAttemptSchema = z.number().int().min(1).max(P2P_MAX_ATTEMPT);
const sdp = z.string().min(1).max(16_000);

/** Why an attempt ended before (or after) the direct channel opened. */
export const p2pCloseReasons = ['timeout', 'failed', 'broken', 'unsupported', 'closed'] as const;
export type P2pCloseReason = (typeof p2pCloseReasons)[number];

export const p2pMessages = [
  /** technician -> customer: start attempt `attempt` with this SDP offer (a data channel only) */
  z.strictObject({ type: z.literal('p2p-offer'), attempt: p2pAttemptSchema, sdp }),
  /** customer -> technician: the answer to that attempt's offer */
  z.strictObject({ type: z.literal('p2p-answer'), attempt: p2pAttemptSchema, sdp }),
  /** either way: one ICE candidate of that attempt (the `candidate` attribute line, as RTCIceCandidate.candidate) */
  z.strictObject({
    type: z.literal('p2p-candidate'),
    attempt: p2pAttemptSchema,
    candidate: z.string().min(1).max(1024),
    sdpMid: z.string().max(64).nullable(),
    sdpMLineIndex: z.number().int().min(0).max(255).nullable(),
  }),
  /** either way: this side gave that attempt up (or, `unsupported`, cannot make direct connections at all) */
  z.strictObject({ type: z.literal('p2p-close'), attempt: p2pAttemptSchema, reason: z.enum(p2pCloseReasons) }),
] as const satisfies readonly z.ZodObject[];
