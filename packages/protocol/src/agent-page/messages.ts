import '../messages/zod-config.js';
import { z } from 'zod';
import { endReasons } from '../errors.js';
import { languageSchema, termsVersionSchema } from '../messages/common.js';
import { filesFromPage, filesToPage } from './file-messages.js';

export * from './file-messages.js';

/**
 * The local WebSocket between the agent and its face (the QuickSupport page served on 127.0.0.1).
 * The agent holds the state and sends a full snapshot on every change; the page sends the
 * customer's clicks. Both ends parse every message with these schemas. Pure: zod only, so the
 * page (apps/quicksupport/src/agent/) and the agent (packages/agent/src/ui/) import it from @fernhilfe/protocol.
 */

export const phases = ['loading', 'load-failed', 'terms', 'registering', 'register-failed', 'waiting', 'pairing', 'active', 'ended'] as const;
export type AgentPhase = (typeof phases)[number];

export const grantSchema = z.enum(['control', 'clipboard']);
export type GrantName = z.infer<typeof grantSchema>;

const technicianSchema = z.strictObject({ displayName: z.string().max(200), company: z.string().max(200) });
const time = z.number().int().nonnegative();

export const viewStateSchema = z.strictObject({
  phase: z.enum(phases),
  terms: z.strictObject({ version: termsVersionSchema, text: z.strictObject({ de: z.string().max(200_000), en: z.string().max(200_000) }) }).optional(),
  termsOutdated: z.boolean(),
  registerProblem: z.enum(['failed', 'busy']).optional(),
  id: z.string().regex(/^[1-9]\d{8}$/).optional(),
  password: z.string().min(1).max(64).optional(),
  technician: technicianSchema.optional(),
  failures: z.number().int().nonnegative(),
  attemptsInRound: z.number().int().nonnegative(),
  rotated: z.boolean(),
  sas: z.string().max(32).optional(),
  chat: z.array(z.strictObject({ key: z.number().int().nonnegative(), from: z.enum(['customer', 'technician']), text: z.string().max(4000), at: time })).max(5000),
  registeredAt: time.optional(),
  /** the session's signed receipt on the support server (https://server/receipt#token=…), once registered */
  receiptUrl: z.string().url().max(600).optional(),
  connectedAt: time.optional(),
  endedAt: time.optional(),
  endKey: z.enum([...endReasons, 'ended-before-start']).optional(),
  connectedTechnician: technicianSchema.optional(),
  reconnecting: z.boolean().optional(),
  /** the agent shares the X screen itself while a session is active */
  screenShared: z.boolean(),
  consent: z.strictObject({
    /** what this agent can grant at all (the features it runs) */
    available: z.array(grantSchema),
    granted: z.strictObject({ control: z.boolean(), clipboard: z.boolean() }),
    /** the technician asked and the customer has not answered yet */
    pending: z.array(grantSchema),
  }),
});
export type ViewState = z.infer<typeof viewStateSchema>;

/** agent -> page */
export const toPageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('state'), state: viewStateSchema }),
  /** the agent is about to exit: the page keeps showing the summary */
  z.strictObject({ type: z.literal('closing') }),
  /** file transfer (file-messages.ts) */
  ...filesToPage,
]);
export type ToPage = z.infer<typeof toPageSchema>;

/** page -> agent: what the customer clicked */
export const fromPageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('accept-terms'), version: termsVersionSchema, language: languageSchema }),
  z.strictObject({ type: z.literal('reload-terms') }),
  z.strictObject({ type: z.literal('consent'), what: grantSchema, decision: z.enum(['allow', 'refuse', 'revoke']) }),
  z.strictObject({ type: z.literal('chat'), text: z.string().trim().min(1).max(4000) }),
  z.strictObject({ type: z.literal('end') }),
  /** file transfer (file-messages.ts) */
  ...filesFromPage,
]);
export type FromPage = z.infer<typeof fromPageSchema>;

/** The path of the local WebSocket on the agent's UI server. */
export const AGENT_WS_PATH = '/agent/ws';
/** The page is in agent mode when the agent served it with this meta tag. */
export const AGENT_META_NAME = 'fernhilfe-agent';

export type Decoded<T> = { ok: true; value: T } | { ok: false; error: string };

/** Parses one text frame; never throws. */
export function decodeMessage<T>(schema: z.ZodType<T>, text: string): Decoded<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  const r = schema.safeParse(raw);
  return r.success ? { ok: true, value: r.data } : { ok: false, error: r.error.issues[0]?.message ?? 'invalid' };
}
