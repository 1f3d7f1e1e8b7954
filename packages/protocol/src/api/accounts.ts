import '../messages/zod-config.js';
import { z } from 'zod';

/** Accounts (admins: /api/admin/accounts…), one-time account links, own password, live sessions (/api/admin/live-sessions…). */

const role = z.enum(['admin', 'technician']);
const epochMs = z.number().int().nonnegative();

/** One account as the admins' list shows it: never a hash or secret. */
export const accountSchema = z.strictObject({
  id: z.string().min(1).max(100),
  login: z.string().min(1).max(256),
  displayName: z.string().max(256),
  company: z.string().max(256),
  role,
  totpEnabled: z.boolean(),
  createdAt: epochMs,
  lastSignInAt: epochMs.nullable(),
  disabledAt: epochMs.nullable(),
  /** invited, and the invitee has not set a password yet */
  pending: z.boolean(),
});
export type Account = z.infer<typeof accountSchema>;
export const accountsReplySchema = z.strictObject({ accounts: z.array(accountSchema) });
export const accountReplySchema = z.strictObject({ account: accountSchema });

/** POST /api/admin/accounts: invite someone; they set their own password through the link. */
export const inviteBodySchema = z.object({
  login: z.string().min(1).max(256),
  displayName: z.string().max(256),
  company: z.string().max(256).default(''),
  role,
});
/** A one-time link (invite or password reset): the path always, the full URL when PUBLIC_URL is set. */
export const accountLinkReplySchema = z.strictObject({
  account: accountSchema,
  /** `/setup#link=…` */
  path: z.string().min(1).max(512),
  url: z.string().max(2048).optional(),
  expiresAt: epochMs,
});
export type AccountLink = z.infer<typeof accountLinkReplySchema>;
export const roleBodySchema = z.object({ role });

/** POST /api/setup/password (public): the holder of a one-time link sets the account's password and is signed in. */
export const linkPasswordBodySchema = z.object({
  token: z.string().min(1).max(256),
  password: z.string().min(1).max(4096),
});

/** POST /api/account/password: a signed-in user changes their own password. */
export const passwordChangeBodySchema = z.object({
  oldPassword: z.string().min(1).max(4096),
  newPassword: z.string().min(1).max(4096),
});

/** One running session (waiting customers are not listed): who, whom, since when, where, how. */
export const liveSessionSchema = z.strictObject({
  customerId: z.string().regex(/^\d{9}$/),
  technician: z.strictObject({ userId: z.string().max(100), displayName: z.string().max(256) }),
  /** when the session was authenticated */
  since: epochMs,
  /** the server node that holds it (NODE_ID; `local` with one node) */
  node: z.string().max(64),
  /** `direct`: the endpoints upgraded to peer-to-peer; `relayed`: the data goes through the server */
  path: z.enum(['relayed', 'direct']),
  /** bytes the server relayed between the two so far */
  relayedBytes: z.number().int().nonnegative(),
});
export type LiveSession = z.infer<typeof liveSessionSchema>;
export const liveSessionsReplySchema = z.strictObject({
  sessions: z.array(liveSessionSchema),
  /** how many server nodes did not answer in time (their sessions are missing from the list) */
  missingNodes: z.number().int().nonnegative(),
});
