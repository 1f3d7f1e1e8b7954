/**
 * What other packages may use without loading the server (`@fernhilfe/server/agent-download/public`):
 * the signature format and the /api/agent/info schema. The CLI's `verify` and `agent-key` use it.
 */
export * from './signature.js';
export { agentInfoSchema, type AgentInfo } from './info.js';
