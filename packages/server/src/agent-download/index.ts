export { AGENT_FILE, AgentDownloadStore } from './store.js';
export { agentInfoSchema, type AgentInfo } from './info.js';
export { registerAgentDownloadRoutes } from './routes.js';
export * from './signature.js';
