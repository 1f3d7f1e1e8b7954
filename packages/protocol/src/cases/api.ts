import '../messages/zod-config.js';
import { z } from 'zod';
import { caseIdSchema } from './code.js';

/** The longest description a customer may type (characters). */
export const MAX_CASE_DESCRIPTION = 2000;
/** The sealed description: hex of a 12-byte IV, the UTF-8 text (≤ 4 bytes a character) and the 16-byte tag. */
export const sealedDescriptionSchema = z.string().regex(/^[0-9a-f]+$/, 'hex').min(2 * 29).max(2 * (12 + 4 * MAX_CASE_DESCRIPTION + 16));
export const joinProofSchema = z.string().regex(/^[0-9a-f]{64}$/, 'a join proof is 32 bytes in hex');

export const caseStates = ['waiting', 'in-session', 'done', 'expired'] as const;
export type CaseState = (typeof caseStates)[number];

const person = z.strictObject({ id: z.string(), name: z.string() });
const time = z.number().int().nonnegative();

/** A case as the queue shows it; `description` is the customer's sealed text (the console opens it). */
export const supportCaseSchema = z.strictObject({
  id: caseIdSchema,
  customerName: z.string(),
  note: z.string(),
  createdBy: person,
  assignee: person,
  state: z.enum(caseStates),
  createdAt: time,
  expiresAt: time,
  arrivedAt: time.nullable(),
  takenAt: time.nullable(),
  closedAt: time.nullable(),
  closeNote: z.string().nullable(),
  description: sealedDescriptionSchema.nullable(),
  /** the customer is connected and waiting now (it can be taken) */
  present: z.boolean(),
});
export type SupportCase = z.infer<typeof supportCaseSchema>;

export const casesReplySchema = z.strictObject({ cases: z.array(supportCaseSchema), technicians: z.array(person) });
export type CasesReply = z.infer<typeof casesReplySchema>;

export const createCaseBodySchema = z.strictObject({
  id: caseIdSchema,
  customerName: z.string().trim().min(1, 'the customer’s name is missing').max(120),
  note: z.string().trim().max(2000),
  joinProof: joinProofSchema,
});
export const assignCaseBodySchema = z.strictObject({ userId: z.string().min(1).max(100) });
export const closeCaseBodySchema = z.strictObject({ note: z.string().trim().max(2000) });
/** Taking a case: the customer ID to connect to with the case secret as the password. */
export const takeCaseReplySchema = z.strictObject({ customerId: z.string().regex(/^[1-9]\d{8}$/) });

/** The customer's part of `register` when it joins a case (messages/customer.ts). */
export const caseJoinSchema = z.strictObject({ id: caseIdSchema, proof: joinProofSchema, description: sealedDescriptionSchema });
export type CaseJoin = z.infer<typeof caseJoinSchema>;
