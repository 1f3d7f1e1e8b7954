/**
 * What other packages may use without loading the server (`@fernhilfe/server/agent-download/public`):
 * the signature format (the /api/agent/info schema is @fernhilfe/protocol's). The CLI's `verify` and `agent-key` use it.
 */
export * from './signature.js';
