import './messages/zod-config.js';
import { z } from 'zod';
import { endReasons } from './errors.js';
import { customerIdSchema } from './messages/common.js';
import { termsSchema } from './api/records.js';

/**
 * The customer's whole journey as one state (client/src/flow/customer-flow.ts runs it; docs/customer-flow.md).
 * The web page renders it, the native agent renders it in the terminal and sends it to its page as it
 * is, so this schema is also the agent→page `state` payload.
 */
export const flowPhases = ['loading', 'load-failed', 'terms', 'registering', 'register-failed', 'waiting', 'pairing', 'active', 'ended'] as const;
export type FlowPhase = (typeof flowPhases)[number];

/** What the customer can allow during a session (the session starts view-only). */
export const grantSchema = z.enum(['control', 'clipboard', 'recording']);
export type GrantName = z.infer<typeof grantSchema>;

/** Why screen sharing could not start or had to stop, in words the page can translate. */
export const shareProblems = [
  'denied', // the person said no in the browser's picker (or closed it)
  'unsupported', // the browser lacks getDisplayMedia, WebCodecs or a usable codec
  'insecure', // not a secure context (plain http on a LAN address): the APIs are not there
  'failed', // anything else: the capture or the encoder broke
] as const;
export type ShareProblem = (typeof shareProblems)[number];

const technicianSchema = z.strictObject({ displayName: z.string().max(200), company: z.string().max(200) });
export type TechnicianInfo = z.infer<typeof technicianSchema>;
const time = z.number().int().nonnegative();

/** Why it ended, as the key of a translated sentence ("ended-before-start": the customer closed it before anybody connected). */
export const endKeySchema = z.enum([...endReasons, 'ended-before-start']);
export type EndKey = z.infer<typeof endKeySchema>;

export const chatEntrySchema = z.strictObject({ key: z.number().int().nonnegative(), from: z.enum(['customer', 'technician']), text: z.string().max(4000), at: time });
export type ChatEntry = z.infer<typeof chatEntrySchema>;

export const shareSchema = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('off'), problem: z.enum(shareProblems).optional() }),
  z.strictObject({ status: z.literal('starting') }),
  z.strictObject({ status: z.literal('on') }),
]);
export type Share = z.infer<typeof shareSchema>;

export const consentViewSchema = z.strictObject({
  /** what this endpoint can grant at all (the features it runs) */
  available: z.array(grantSchema),
  granted: z.strictObject({ control: z.boolean(), clipboard: z.boolean(), recording: z.boolean() }),
  /** the technician asked and the customer has not answered yet */
  pending: z.array(grantSchema),
  /** the operator requires recording (RECORDING=required): refusing it ends the session */
  recordingRequired: z.boolean().optional(),
});
export type ConsentView = z.infer<typeof consentViewSchema>;

export const customerFlowStateSchema = z.strictObject({
  phase: z.enum(flowPhases),
  terms: termsSchema.optional(),
  /** the terms changed between reading and accepting */
  termsOutdated: z.boolean(),
  /** `case-refused`: the support code is wrong, used or expired (docs/cases.md) */
  registerProblem: z.enum(['failed', 'busy', 'case-refused']).optional(),
  id: customerIdSchema.optional(),
  /** the one-time password; gone once used, rotated away, or ended */
  password: z.string().min(1).max(64).optional(),
  /** who is connecting now, or who is connected */
  technician: technicianSchema.optional(),
  /** failed attempts in all */
  failures: z.number().int().nonnegative(),
  /** failed attempts since the last password change (1..MAX_FAILED_ATTEMPTS, shown as "n of 5") */
  attemptsInRound: z.number().int().nonnegative(),
  /** the password was changed after too many failed attempts */
  rotated: z.boolean(),
  sas: z.string().max(32).optional(),
  chat: z.array(chatEntrySchema).max(5000),
  registeredAt: time.optional(),
  /** the key to this session's signed receipt on the server (/receipt#token=…), if the server gave one */
  receiptToken: z.string().max(200).optional(),
  /** the receipt's full address when the page is not on the server (the native agent's page is on 127.0.0.1) */
  receiptUrl: z.string().url().max(600).optional(),
  connectedAt: time.optional(),
  endedAt: time.optional(),
  endKey: endKeySchema.optional(),
  /** the technician who was connected, for the summary */
  connectedTechnician: technicianSchema.optional(),
  /** a connection dropped during the session and is being restored (it reconnects by itself) */
  reconnecting: z.boolean().optional(),
  /** the customer's screen as the technician sees it */
  share: shareSchema,
  /** the screen was shared at some point of the session (for the summary) */
  everShared: z.boolean(),
  consent: consentViewSchema,
  /** a support case joined (docs/cases.md): its code, to read to a technician, and who it is assigned to */
  case: z.strictObject({ code: z.string().max(40), technician: z.string().max(200) }).optional(),
});
export type CustomerFlowState = z.infer<typeof customerFlowStateSchema>;

export const initialFlowState: CustomerFlowState = {
  phase: 'loading',
  termsOutdated: false,
  failures: 0,
  attemptsInRound: 0,
  rotated: false,
  chat: [],
  share: { status: 'off' },
  everShared: false,
  consent: { available: [], granted: { control: false, clipboard: false, recording: false }, pending: [] },
};
