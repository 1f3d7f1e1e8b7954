import '../messages/zod-config.js';
import { customerFlowStateSchema, grantSchema } from '../customer-flow-state.js';
import { z } from 'zod';
import { languageSchema, termsVersionSchema } from '../messages/common.js';
import { filesFromPage, filesToPage } from './file-messages.js';
import { MAX_CASE_DESCRIPTION } from '../cases/api.js';

export * from './file-messages.js';

/**
 * The local WebSocket between the agent and its face (the QuickSupport page served on 127.0.0.1).
 * The agent holds the state and sends a full snapshot on every change; the page sends the
 * customer's clicks. Both ends parse every message with these schemas. Pure: zod only, so the
 * page (apps/quicksupport/src/agent/) and the agent (packages/agent/src/ui/) import it from @fernhilfe/protocol.
 */

/** agent -> page */
export const toPageSchema = z.discriminatedUnion('type', [
  /** the customer's journey as the agent's CustomerFlow has it (@fernhilfe/protocol's customer-flow-state.ts) */
  z.strictObject({ type: z.literal('state'), state: customerFlowStateSchema }),
  /** the agent is about to exit: the page keeps showing the summary */
  z.strictObject({ type: z.literal('closing') }),
  /** Windows: what input can reach (an elevated window in front, the secure desktop); sent when it changes */
  z.strictObject({ type: z.literal('desktop'), desktop: z.strictObject({ foregroundElevated: z.boolean(), selfElevated: z.boolean(), secureDesktop: z.boolean() }) }),
  /** Wayland: the desktop's own sharing dialog (xdg-desktop-portal) is asking the customer, or was answered */
  z.strictObject({ type: z.literal('desktop-consent'), state: z.enum(['asking', 'allowed', 'refused']) }),
  /** file transfer (file-messages.ts) */
  ...filesToPage,
]);
export type ToPage = z.infer<typeof toPageSchema>;

/** page -> agent: what the customer clicked */
export const fromPageSchema = z.discriminatedUnion('type', [
  /** `case`: join a support case with the code the customer typed and its description (docs/cases.md) */
  z.strictObject({
    type: z.literal('accept-terms'),
    version: termsVersionSchema,
    language: languageSchema,
    case: z.strictObject({ code: z.string().max(40), description: z.string().max(MAX_CASE_DESCRIPTION) }).optional(),
  }),
  z.strictObject({ type: z.literal('reload-terms') }),
  z.strictObject({ type: z.literal('consent'), what: grantSchema, decision: z.enum(['allow', 'refuse', 'revoke']) }),
  z.strictObject({ type: z.literal('chat'), text: z.string().trim().min(1).max(4000) }),
  z.strictObject({ type: z.literal('end') }),
  /** Windows: end this session and start the program again as administrator (the customer's click) */
  z.strictObject({ type: z.literal('restart-elevated') }),
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
