export { createDatabase, redactUrl, SQLITE_FILE_NAME } from './database.js';
export type { Database, DatabaseOptions, Dialect } from './database.js';
export { migrateToLatest } from './migrate.js';
export { isUniqueViolation } from './errors.js';
export { SettingsRepo } from './settings.js';
export { SupportSessionRepo } from './support-sessions.js';
export type { SupportSession, NewSupportSession, JsonValue } from './support-sessions.js';
export * from './schema.js';
