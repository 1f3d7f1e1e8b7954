#!/usr/bin/env node
// first: `--remove-after <pid> <folder>` (the session folder's remover on Windows) ends here, before the rest loads
import './runtime/remove-after.js';
import { agentKit } from './app/feature-kit.js';
import { createLog } from './app/log.js';
import { runAgent } from './app/run.js';
import { AgentError } from './app/errors.js';
import { parseArgs } from './config/config.js';
import { uiAssets } from './ui/assets.js';
import { openBrowser } from './ui/open-browser.js';

/** The Fernhilfe QuickSupport agent: parse the command line, wire the parts, run one session, exit. */
const parsed = parseArgs(process.argv.slice(2));
if (!parsed.ok) {
  (parsed.stream === 'stdout' ? process.stdout : process.stderr).write(parsed.message);
  process.exit(parsed.exitCode);
}
const { config } = parsed;
const log = createLog();
runAgent(config, {
  log,
  kit: agentKit({ env: process.env, log }),
  assets: uiAssets,
  openBrowser: (url) => openBrowser(url),
  stdin: process.stdin,
  stdout: process.stdout,
  pageGraceMs: config.pageGraceMs,
  onSignal: (handler) => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, handler);
  },
}).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const e = AgentError.from(err);
    log.error({ err: e }, 'the agent stopped');
    process.stderr.write(e.say(config.language) + '\n');
    process.exit(1);
  },
);
