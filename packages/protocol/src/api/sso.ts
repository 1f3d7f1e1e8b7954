import '../messages/zod-config.js';
import { z } from 'zod';

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
