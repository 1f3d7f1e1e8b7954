/**
 * @fernhilfe/bench: what tests use of the benchmarks (a server as a child process, the file-transfer
 * endpoint pair, the agent bench). The benches themselves run from bench/dist (npm run bench*).
 */
export { runAgentBench } from './agent/agent.js';
export { runWinAgentBench } from './agent/win-bench.js';
export { formatWinTable as formatWinAgentTable } from './agent/win-report.js';
export { formatTable as formatAgentTable, type AgentBenchReport } from './agent/report.js';
export { startProcessPair, timedTransfer, type PairOptions, type ProcessPair, type TransferRun } from './files/run-pair.js';
export { ServerProcess, type ServerProcessOptions } from './server-process.js';
