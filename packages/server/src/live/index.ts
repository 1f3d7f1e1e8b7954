export { DIRECT_AFTER_MS, LiveSessions } from './live-sessions.js';
export type { LiveSessionsOptions } from './live-sessions.js';
export { registerLiveSessionRoutes } from './routes.js';
