export { startServer, type RunningServer, type StartOptions } from './server.js';
export { loadConfig, ConfigError, type Config } from './config.js';
export { createLogger, type Logger } from './logger.js';
export { makeTerms, termsVersion, type Terms } from './terms/terms.js';
export { AccountService } from './auth/index.js';
export { createDatabase, migrateToLatest, type Database } from './storage/index.js';
