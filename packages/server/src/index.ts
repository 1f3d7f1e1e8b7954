export { startServer, type RouteInfo, type RunningServer, type StartOptions } from './server.js';
export { loadConfig, ConfigError, type Config } from './config.js';
export { createLogger, type Logger } from './logger.js';
export { makeTerms, termsVersion, type Terms } from './terms/terms.js';
export { AccountService, TOTP_PERIOD_SECONDS } from './auth/index.js';
export { BrandingStore, DEFAULT_BRANDING, type Branding } from './branding/index.js';
export { createDatabase, migrateToLatest, type Database } from './storage/index.js';
export { AuditLog, auditDb, canonicalJson, entryHash, runRetention, verifyAuditChain, type AuditDb, type AuditEntry, type VerifyResult } from './audit/index.js';
