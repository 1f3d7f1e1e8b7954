import { FernhilfeError } from '@fernhilfe/protocol';

/** Why the database cannot be used or refused a value: the URL, the connection, a migration, a value out of range, a row. */
export type StorageFailure = 'bad-url' | 'unreachable' | 'migration' | 'out-of-range' | 'invalid' | 'vanished';

export class StorageError extends FernhilfeError<StorageFailure> {
  override readonly name = 'StorageError';
}

/** True for a UNIQUE / PRIMARY KEY violation from either better-sqlite3 or pg. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  const { code } = error;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
