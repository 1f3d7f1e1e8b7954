import './zod-config.js';
import { z } from 'zod';
import { reportMessageSchema } from './audit.js';
import { customerIdSchema, endReasonSchema, resumePublicKeySchema, resumeSignatureSchema } from './common.js';

/** Technician endpoint -> server (CONTROL frames). */
export const technicianMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('connect'), id: customerIdSchema }),
  /** Gives up a pairing in progress (e.g. the customer's key confirmation was wrong). */
  z.strictObject({ type: z.literal('abort') }),
  z.strictObject({ type: z.literal('end'), reason: endReasonSchema.optional() }),
  /** Once, right after the session opened: the public key that will prove a reconnect. */
  z.strictObject({ type: z.literal('resume-key'), publicKey: resumePublicKeySchema }),
  /** First message of a new connection (fresh ticket, same account) that takes over the technician's side. */
  z.strictObject({ type: z.literal('resume'), id: customerIdSchema, role: z.literal('technician') }),
  z.strictObject({ type: z.literal('resume-proof'), signature: resumeSignatureSchema }),
  /** A consent or transfer for the session's audit trail (audit.ts). */
  reportMessageSchema,
]);
export type TechnicianMessage = z.infer<typeof technicianMessageSchema>;
