export { AgentDownloadStore } from './store.js';
export { AgentDownloads } from './downloads.js';
export { AGENT_FILE, AGENT_FILE_WINDOWS, AGENT_PLATFORMS } from './platforms.js';
export { registerAgentDownloadRoutes } from './routes.js';
export * from './signature.js';
