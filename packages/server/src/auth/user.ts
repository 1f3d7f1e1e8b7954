import type { EpochMs, Role, UserRow } from '../storage/schema.js';

/** An account as the rest of the server sees it: never with its password hash. */
export interface User {
  id: string;
  login: string;
  displayName: string;
  company: string;
  role: Role;
  createdAt: EpochMs;
  disabledAt: EpochMs | null;
}

/** What the console may show about a user. */
export interface PublicUser {
  id: string;
  login: string;
  displayName: string;
  company: string;
  role: Role;
}

export function toUser(row: Omit<UserRow, 'password_hash'>): User {
  return {
    id: row.id,
    login: row.login,
    displayName: row.display_name,
    company: row.company,
    role: row.role,
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
  };
}

export function toPublicUser(user: User): PublicUser {
  const { id, login, displayName, company, role } = user;
  return { id, login, displayName, company, role };
}
