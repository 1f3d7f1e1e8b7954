import './zod-config.js';
import { z } from 'zod';
import { reportMessageSchema } from './audit.js';
import { caseJoinSchema } from '../cases/api.js';
import { capabilitySchema, customerIdSchema, endReasonSchema, languageSchema, resumePublicKeySchema, resumeSignatureSchema, termsVersionSchema } from './common.js';

/** Customer endpoint -> server (CONTROL frames). */
export const customerMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('register'),
    /** SHA-256 of the terms the customer accepted; the server refuses any other */
    termsVersion: termsVersionSchema,
    language: languageSchema,
    capabilities: z.array(capabilitySchema).max(8),
    /** joining a support case (docs/cases.md): the case secret is then the password */
    case: caseJoinSchema.optional(),
  }),
  /** Result of checking the technician's key confirmation; the server keeps the back-off with it. */
  z.strictObject({ type: z.literal('auth-result'), ok: z.boolean() }),
  /** After 5 failed attempts the customer made a new password (the server only records the fact). */
  z.strictObject({ type: z.literal('password-rotated') }),
  /** Ends the session; `reason` names a detected failure (e.g. tampered), else the customer ended it. */
  z.strictObject({ type: z.literal('end'), reason: endReasonSchema.optional() }),
  /** Once, right after the session opened: the public key that will prove a reconnect. */
  z.strictObject({ type: z.literal('resume-key'), publicKey: resumePublicKeySchema }),
  /** First message of a new connection that takes over the customer's side of a session. */
  z.strictObject({ type: z.literal('resume'), id: customerIdSchema, role: z.literal('customer') }),
  /** Ed25519 signature over the server's challenge (see resumeProofMessage). */
  z.strictObject({ type: z.literal('resume-proof'), signature: resumeSignatureSchema }),
  /** A consent or transfer for the session's audit trail (audit.ts). */
  reportMessageSchema,
]);
export type CustomerMessage = z.infer<typeof customerMessageSchema>;
