import type { SessionReportEvent } from '@fernhilfe/protocol';

/**
 * Every kind of audit entry (docs/audit.md lists their data). Metadata only: never chat, pixels,
 * keystrokes, file contents, passwords or keys.
 */
export const SESSION_EVENTS = [
  'session-opened',
  'terms-accepted',
  'technician-connected',
  'authentication-failed',
  'session-authenticated',
  'password-rotated',
  'session-ended',
  'session-moved',
] as const;

/** What endpoints report (packages/protocol/src/messages/audit.ts), recorded under the same name. */
export const REPORTED_EVENTS = [
  'control-granted',
  'control-revoked',
  'clipboard-allowed',
  'clipboard-revoked',
  'file-offered',
  'file-accepted',
  'file-refused',
  'file-completed',
  'file-failed',
  'recording-refused',
] as const satisfies readonly SessionReportEvent[];

/** Changes to accounts (issue 18, docs/accounts.md): by an admin, the CLI, or the account's owner. */
export const ACCOUNT_EVENTS = [
  'account-invited',
  'account-role-changed',
  'account-disabled',
  'account-enabled',
  'account-password-reset',
  'account-2fa-reset',
  'account-password-set',
  'password-changed',
  'live-session-ended',
] as const;

/** Changes an admin made. */
export const ADMIN_EVENTS = ['terms-changed', 'logo-changed', ...ACCOUNT_EVENTS] as const;

/** Single sign-on (oidc/, docs/sso.md): an account made at its first sign-in, and each sign-in. */
export const SSO_EVENTS = ['sso-account-created', 'sso-signed-in'] as const;

/** Support cases (issue 19, docs/cases.md). */
export const CASE_EVENTS = ['case-created', 'case-assigned', 'case-taken', 'case-closed', 'case-expired'] as const;
/** Session recording (recordings/, docs/recording.md); `recording-refused` comes as a customer's report. */
export const RECORDING_EVENTS = ['recording-started', 'recording-stopped', 'recording-deleted'] as const;

export type SessionEvent = (typeof SESSION_EVENTS)[number];
export type AdminEvent = (typeof ADMIN_EVENTS)[number];
export type SsoEvent = (typeof SSO_EVENTS)[number];
export type CaseEvent = (typeof CASE_EVENTS)[number];
export type RecordingEvent = (typeof RECORDING_EVENTS)[number];
export type AuditEvent = SessionEvent | SessionReportEvent | AdminEvent | SsoEvent | CaseEvent | RecordingEvent;

/** Who did it: `customer`, `technician:<user id>`, `admin:<user id>`, `server` or `cli` (the `fernhilfe` command on the server). */
export type Actor = 'customer' | 'server' | 'cli' | `technician:${string}` | `admin:${string}`;

/** The events a customer's receipt lists (consents and transfers, and the session's milestones). */
export const RECEIPT_EVENTS: ReadonlySet<string> = new Set<string>([...SESSION_EVENTS, ...REPORTED_EVENTS, ...RECORDING_EVENTS]);
