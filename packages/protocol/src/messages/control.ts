import { z } from 'zod';

/**
 * End-to-end control messages (logical channel CONTROL inside the encrypted channel). The server
 * never sees these. Later features add their messages here, one schema each.
 */
export const controlMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ping'), id: z.number().int().nonnegative(), t: z.number() }),
  z.strictObject({ type: z.literal('pong'), id: z.number().int().nonnegative(), t: z.number() }),
  z.strictObject({ type: z.literal('chat'), text: z.string().min(1).max(4000) }),
  /** The sender ends the session; sent inside the channel so the peer knows the end is genuine. */
  z.strictObject({ type: z.literal('bye') }),
]);
export type ControlMessage = z.infer<typeof controlMessageSchema>;

/** Logical channels multiplexed in the encrypted stream: first plaintext byte of every sealed frame. */
export const LogicalChannel = {
  control: 0,
  video: 1,
  input: 2,
  files: 3,
  clipboard: 4,
  data: 5, // generic binary stream (tests, selftest, benchmarks)
} as const;
export type LogicalChannel = (typeof LogicalChannel)[keyof typeof LogicalChannel];
export const isLogicalChannel = (n: number): n is LogicalChannel => n >= 0 && n <= 5;
