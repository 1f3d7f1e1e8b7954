import type { PublicUser } from '@fernhilfe/protocol';
import type { EpochMs, Role, UserRow } from '../storage/schema.js';

/** An account as the rest of the server sees it: never with its password hash or TOTP secret. */
export interface User {
  id: string;
  login: string;
  displayName: string;
  company: string;
  role: Role;
  createdAt: EpochMs;
  disabledAt: EpochMs | null;
  /** Sign-in asks for a TOTP code as well as the password. */
  totpEnabled: boolean;
}

type UserColumns = 'id' | 'login' | 'display_name' | 'company' | 'role' | 'created_at' | 'disabled_at' | 'totp_enabled_at';

export function toUser(row: Pick<UserRow, UserColumns>): User {
  return {
    id: row.id,
    login: row.login,
    displayName: row.display_name,
    company: row.company,
    role: row.role,
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
    totpEnabled: row.totp_enabled_at !== null,
  };
}

export function toPublicUser(user: User): PublicUser {
  const { id, login, displayName, company, role, totpEnabled } = user;
  return { id, login, displayName, company, role, totpEnabled };
}
