import type { Migration } from 'kysely';
import { accounts } from './001_accounts.js';
import { supportSessions } from './002_support_sessions.js';
import { settings } from './003_settings.js';
import { userTotp } from './004_user_totp.js';
import { audit } from './005_audit.js';
import { accountAdmin } from './006_account_admin.js';
import { oidc } from './007_oidc.js';
import { supportCases } from './008_support_cases.js';
import { recordings } from './009_recordings.js';

/** Every migration, keyed by name; names sort in the order they must run. Add new ones at the end. */
export const migrations: Record<string, Migration> = {
  '001_accounts': accounts,
  '002_support_sessions': supportSessions,
  '003_settings': settings,
  '004_user_totp': userTotp,
  '005_audit': audit,
  '006_account_admin': accountAdmin,
  '007_oidc': oidc,
  '008_support_cases': supportCases,
  '009_recordings': recordings,
};
