import '../messages/zod-config.js';
import { z } from 'zod';
import {
  csrfReplySchema,
  loginBodySchema,
  meReplySchema,
  setupBodySchema,
  signedInReplySchema,
  signInOptionsReplySchema,
  totpCodeBodySchema,
  totpSetupReplySchema,
  wsTicketReplySchema,
} from './auth.js';
import {
  accountLinkReplySchema,
  accountReplySchema,
  accountsReplySchema,
  inviteBodySchema,
  linkPasswordBodySchema,
  liveSessionsReplySchema,
  passwordChangeBodySchema,
  roleBodySchema,
} from './accounts.js';
import { brandingSchema } from './branding.js';
import { assignCaseBodySchema, casesReplySchema, closeCaseBodySchema, createCaseBodySchema, supportCaseSchema, takeCaseReplySchema } from '../cases/api.js';
import { finishRecordingBodySchema, finishRecordingReplySchema, recordingDeletedReplySchema, recordingPolicySchema, recordingsReplySchema, startRecordingBodySchema, startRecordingReplySchema } from './recordings.js';
import { adminProgramsReplySchema } from './programs.js';
import {
  adminTermsReplySchema,
  agentInfoSchema,
  auditListReplySchema,
  auditQuerySchema,
  auditVerifyReplySchema,
  logoBodySchema,
  logoRemovedReplySchema,
  logoReplySchema,
  reportQuerySchema,
  reportRowsReplySchema,
  reportSessionReplySchema,
  saveTermsReplySchema,
  signedHeadSchema,
  techniciansReplySchema,
  termsBodySchema,
  termsSchema,
} from './records.js';

export type ApiMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** One JSON route: its body and query (what the server parses) and its reply (`null`: 204, no body). */
export interface ApiRoute {
  method: ApiMethod;
  /** `:id` stands for a path parameter */
  path: string;
  body?: z.ZodType;
  query?: z.ZodType;
  reply: z.ZodType | null;
}

const healthReplySchema = z.strictObject({ status: z.literal('ok') });

/**
 * Every JSON route the server serves under /api/ (and /healthz), by name: the one table the HTTP
 * client calls through and the server's route tests check replies against. Not here: the CSV of
 * /api/reports/sessions.csv and the downloads (not JSON).
 */
export const apiRoutes = {
  health: { method: 'GET', path: '/healthz', reply: healthReplySchema },
  terms: { method: 'GET', path: '/api/terms', reply: termsSchema },
  branding: { method: 'GET', path: '/api/branding', reply: brandingSchema },
  agentInfo: { method: 'GET', path: '/api/agent/info', reply: agentInfoSchema },

  setup: { method: 'POST', path: '/api/setup', body: setupBodySchema, reply: signedInReplySchema },
  login: { method: 'POST', path: '/api/auth/login', body: loginBodySchema, reply: signedInReplySchema },
  logout: { method: 'POST', path: '/api/auth/logout', reply: null },
  me: { method: 'GET', path: '/api/auth/me', reply: meReplySchema },
  csrf: { method: 'GET', path: '/api/auth/csrf', reply: csrfReplySchema },
  wsTicket: { method: 'POST', path: '/api/auth/ws-ticket', reply: wsTicketReplySchema },
  totpSetup: { method: 'POST', path: '/api/auth/totp/setup', reply: totpSetupReplySchema },
  totpEnable: { method: 'POST', path: '/api/auth/totp/enable', body: totpCodeBodySchema, reply: null },
  totpDisable: { method: 'POST', path: '/api/auth/totp/disable', body: totpCodeBodySchema, reply: null },
  signInOptions: { method: 'GET', path: '/api/auth/oidc/options', reply: signInOptionsReplySchema },

  saveBranding: { method: 'PUT', path: '/api/admin/branding', body: brandingSchema, reply: brandingSchema },
  uploadLogo: { method: 'PUT', path: '/api/admin/branding/logo', body: logoBodySchema, reply: logoReplySchema },
  removeLogo: { method: 'DELETE', path: '/api/admin/branding/logo', reply: logoRemovedReplySchema },
  adminTerms: { method: 'GET', path: '/api/admin/terms', reply: adminTermsReplySchema },
  saveTerms: { method: 'PUT', path: '/api/admin/terms', body: termsBodySchema, reply: saveTermsReplySchema },
  audit: { method: 'GET', path: '/api/admin/audit', query: auditQuerySchema, reply: auditListReplySchema },
  auditVerify: { method: 'GET', path: '/api/admin/audit/verify', reply: auditVerifyReplySchema },
  auditHead: { method: 'GET', path: '/api/admin/audit/head', reply: signedHeadSchema },
  technicians: { method: 'GET', path: '/api/admin/technicians', reply: techniciansReplySchema },
  adminPrograms: { method: 'GET', path: '/api/admin/programs', reply: adminProgramsReplySchema },
  reportSessions: { method: 'GET', path: '/api/reports/sessions', query: reportQuerySchema, reply: reportRowsReplySchema },
  reportSession: { method: 'GET', path: '/api/reports/sessions/:id', reply: reportSessionReplySchema },

  // accounts and live sessions (issue 18; docs/accounts.md)
  linkPassword: { method: 'POST', path: '/api/setup/password', body: linkPasswordBodySchema, reply: signedInReplySchema },
  changePassword: { method: 'POST', path: '/api/account/password', body: passwordChangeBodySchema, reply: null },
  accounts: { method: 'GET', path: '/api/admin/accounts', reply: accountsReplySchema },
  inviteAccount: { method: 'POST', path: '/api/admin/accounts', body: inviteBodySchema, reply: accountLinkReplySchema },
  setAccountRole: { method: 'POST', path: '/api/admin/accounts/:id/role', body: roleBodySchema, reply: accountReplySchema },
  disableAccount: { method: 'POST', path: '/api/admin/accounts/:id/disable', reply: accountReplySchema },
  enableAccount: { method: 'POST', path: '/api/admin/accounts/:id/enable', reply: accountReplySchema },
  resetAccountPassword: { method: 'POST', path: '/api/admin/accounts/:id/reset-password', reply: accountLinkReplySchema },
  resetAccountTotp: { method: 'POST', path: '/api/admin/accounts/:id/reset-2fa', reply: accountReplySchema },
  liveSessions: { method: 'GET', path: '/api/admin/live-sessions', reply: liveSessionsReplySchema },
  endLiveSession: { method: 'POST', path: '/api/admin/live-sessions/:id/end', reply: null },

  // support cases (issue 19; docs/cases.md)
  cases: { method: 'GET', path: '/api/cases', reply: casesReplySchema },
  createCase: { method: 'POST', path: '/api/cases', body: createCaseBodySchema, reply: supportCaseSchema },
  assignCase: { method: 'POST', path: '/api/cases/:id/assign', body: assignCaseBodySchema, reply: supportCaseSchema },
  takeCase: { method: 'POST', path: '/api/cases/:id/take', reply: takeCaseReplySchema },
  closeCase: { method: 'POST', path: '/api/cases/:id/close', body: closeCaseBodySchema, reply: supportCaseSchema },
  // session recording (issue 19; docs/recording.md); the chunks (PUT /api/recordings/:id/chunks/:index) and the download are binary
  recordingPolicy: { method: 'GET', path: '/api/recordings/policy', reply: recordingPolicySchema },
  startRecording: { method: 'POST', path: '/api/recordings', body: startRecordingBodySchema, reply: startRecordingReplySchema },
  finishRecording: { method: 'POST', path: '/api/recordings/:id/finish', body: finishRecordingBodySchema, reply: finishRecordingReplySchema },
  recordings: { method: 'GET', path: '/api/recordings', reply: recordingsReplySchema },
  deleteRecording: { method: 'DELETE', path: '/api/recordings/:id', reply: recordingDeletedReplySchema },
} as const satisfies Record<string, ApiRoute>;

export type ApiRoutes = typeof apiRoutes;
export type ApiRouteName = keyof ApiRoutes;

/** What a call to route `R` takes: its body, its query, its path parameter. */
export type ApiInput<R extends ApiRoute> = (R extends { body: z.ZodType } ? { body: z.input<R['body']> } : unknown) &
  (R extends { query: z.ZodType } ? { query?: z.input<R['query']> } : unknown) &
  (R['path'] extends `${string}:id${string}` ? { params: { id: string } } : unknown);

/** What route `R` answers, parsed. */
export type ApiReply<R extends ApiRoute> = R['reply'] extends z.ZodType ? z.output<R['reply']> : undefined;

/** The route (name and table entry) for a method and a concrete path, e.g. GET /api/reports/sessions/abc. */
export function findApiRoute(method: string, path: string): { name: ApiRouteName; route: ApiRoute } | undefined {
  const bare = path.split('?')[0] ?? '';
  for (const [name, route] of Object.entries(apiRoutes) as [ApiRouteName, ApiRoute][]) {
    if (route.method !== method.toUpperCase()) continue;
    const pattern = new RegExp(`^${route.path.replace(/[.]/g, '\\.').replace(':id', '[^/]+')}$`);
    if (pattern.test(bare)) return { name, route };
  }
  return undefined;
}
