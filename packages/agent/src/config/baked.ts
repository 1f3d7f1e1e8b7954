/**
 * The server this agent belongs to, fixed when the operator builds the distributable:
 * scripts/build-agent.mjs passes esbuild `define: { __FERNHILFE_SERVER_URL__: JSON.stringify(url) }`.
 * Unset (development, `node packages/agent/dist/main.js`), the agent needs `--server URL`.
 */
declare const __FERNHILFE_SERVER_URL__: string | undefined;

export const bakedServerUrl: string | undefined = typeof __FERNHILFE_SERVER_URL__ === 'string' && __FERNHILFE_SERVER_URL__ !== '' ? __FERNHILFE_SERVER_URL__ : undefined;
