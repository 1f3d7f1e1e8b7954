export { AGENT_FILE, AgentDownloadStore } from './store.js';
export { registerAgentDownloadRoutes } from './routes.js';
export * from './signature.js';
