#!/usr/bin/env node
// first: `--remove-after <pid> <folder>` (the session folder's remover on Windows) ends here, before the rest loads
import './runtime/remove-after.js';
import { agentKit } from './app/feature-kit.js';
import { desktopShell } from './platform/index.js';
import { httpFetch } from './app/http-fetch.js';
import { logFile, platformEnv } from './app/platform-env.js';
import { createLog } from './app/log.js';
import { runAgent } from './app/run.js';
import { AgentError } from './app/errors.js';
import { parseArgs } from './config/config.js';
import { uiAssets } from './ui/assets.js';
import { openBrowser } from './ui/open-browser.js';

/** The program's own arguments for a restart: a single executable has its path as argv[1] too, node has the script there. */
const ownArguments = (): string[] => (process.argv[1] === process.execPath ? process.argv.slice(2) : process.argv.slice(1));

/** The Fernhilfe QuickSupport agent: parse the command line, wire the parts, run one session, exit. */
const parsed = parseArgs(process.argv.slice(2));
if (!parsed.ok) {
  (parsed.stream === 'stdout' ? process.stdout : process.stderr).write(parsed.message);
  process.exit(parsed.exitCode);
}
const { config } = parsed;
const log = createLog(undefined, logFile());
// the packaged program unpacks koffi's addon for the platform (Windows; Linux for Wayland)
const env = platformEnv();
// Windows: the shell's default browser (ShellExecuteW); elsewhere $BROWSER, then xdg-open
const shell = desktopShell(env);
runAgent(config, {
  log,
  kit: agentKit({ env, log }),
  assets: uiAssets,
  openBrowser: (url) => (shell ? shell.openUrl(url).catch((err: unknown) => (log.warn({ err }, 'the shell could not open the page'), false)) : openBrowser(url)),
  stdin: process.stdin,
  stdout: process.stdout,
  pageGraceMs: config.pageGraceMs,
  ...(process.platform === 'win32' ? { fetch: httpFetch } : {}),
  ...(shell ? { openDialog: (title: string) => shell.openDialog(title), elevation: { check: () => shell.elevation(), restart: () => shell.restartElevated(process.execPath, ownArguments()) } } : {}),
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
