import '../messages/zod-config.js';
import { z } from 'zod';

/** The console's sign-in API (/api/setup, /api/auth/*): requests and replies. */

/** What the console may show about a user. */
export const publicUserSchema = z.strictObject({
  id: z.string().min(1).max(100),
  login: z.string().min(1).max(256),
  displayName: z.string().max(256),
  company: z.string().max(256),
  role: z.enum(['admin', 'technician']),
  /** sign-in asks for a TOTP code as well as the password */
  totpEnabled: z.boolean(),
});
export type PublicUser = z.infer<typeof publicUserSchema>;

export const loginBodySchema = z.object({
  login: z.string().min(1).max(256),
  password: z.string().min(1).max(4096),
  /** The current code of an account with two-factor sign-in; ignored for other accounts. */
  totp: z.string().max(32).optional(),
});

export const setupBodySchema = z.object({
  token: z.string().min(1).max(256),
  login: z.string().min(1).max(256),
  password: z.string().min(1).max(4096),
  displayName: z.string().max(256),
  company: z.string().max(256).default(''),
});

/** A TOTP code to enable or disable two-factor sign-in. */
export const totpCodeBodySchema = z.object({ code: z.string().min(1).max(32) });

/** The reply to a sign-in or setup: the user, and the CSRF token for state-changing calls. */
export const signedInReplySchema = z.strictObject({ user: publicUserSchema, csrfToken: z.string().min(1).max(256) });
export const meReplySchema = z.strictObject({ user: publicUserSchema });
export const csrfReplySchema = z.strictObject({ csrfToken: z.string().min(1).max(256) });
export const wsTicketReplySchema = z.strictObject({ ticket: z.string().min(1).max(256) });

/** A TOTP secret to enrol: show `otpauthUri` as a QR code and `secret` as text to type in. */
export const totpSetupReplySchema = z.strictObject({ secret: z.string().min(1).max(128), otpauthUri: z.string().min(1).max(1000) });
export type TotpSetup = z.infer<typeof totpSetupReplySchema>;

/** GET /api/auth/oidc/options: what the console's sign-in form offers (docs/sso.md). */
export const signInOptionsReplySchema = z.strictObject({
  /** single sign-on, shown as "Sign in with <providerName>"; null when it is not set up */
  sso: z.strictObject({ providerName: z.string().min(1).max(60) }).nullable(),
  /** false: password sign-in is switched off (LOCAL_ACCOUNTS=off), show only the single sign-on button */
  localAccounts: z.boolean(),
});
export type SignInOptions = z.infer<typeof signInOptionsReplySchema>;

/** Where the browser goes to sign in with the provider (a page navigation, not a fetch). */
export const SSO_START_PATH = '/api/auth/oidc/start';
/** The query parameter the server adds to /console/ when single sign-on was refused; its value is the reason. */
export const SSO_ERROR_PARAM = 'sso-error';
