import { Command, CommanderError, Option } from 'commander';
import { AgentError } from '../app/errors.js';
import { bakedServerUrl } from './baked.js';

export type Face = 'browser' | 'url' | 'dialog' | 'terminal';

export interface AgentConfig {
  /** the server's origin */
  server: URL;
  /** browser: open the page; url: only print its address; dialog: a native window (Windows); terminal: no page, prompts in the terminal */
  face: Face;
  language: 'de' | 'en';
  /** how long the page may be gone (closed tab) before the agent ends the session: FERNHILFE_AGENT_PAGE_GRACE_MS, default 60 s */
  pageGraceMs: number;
}

/** `stream`: where the message goes (--help and --version to stdout, errors to stderr) */
export type ParseResult = { ok: true; config: AgentConfig } | { ok: false; exitCode: number; message: string; stream: 'stdout' | 'stderr' };

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** An http(s) origin; plain http only to this machine (the terms, the page and the registration travel over it). */
export function serverUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw AgentError.badServerUrl(`not a URL: ${raw}`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) throw AgentError.badServerUrl(`${url.protocol} to ${url.hostname}`);
  if (url.username || url.password) throw AgentError.badServerUrl('credentials in the URL');
  return new URL(url.origin);
}

export function graceFrom(env: NodeJS.ProcessEnv): number {
  const raw = env.FERNHILFE_AGENT_PAGE_GRACE_MS;
  if (raw === undefined || raw === '') return 60_000;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 100 || ms > 3_600_000) throw AgentError.badOption(`FERNHILFE_AGENT_PAGE_GRACE_MS=${raw} (100..3600000)`);
  return ms;
}

/** The customer's language: --lang, else from LANG/LC_ALL/LC_MESSAGES, else English. */
export function languageFrom(env: NodeJS.ProcessEnv): 'de' | 'en' {
  const lang = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^de/i.test(lang) ? 'de' : 'en';
}

/** Parses the command line (argv without node and the script). Never exits the process itself. */
export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, baked: string | undefined = bakedServerUrl): ParseResult {
  let out = '';
  const program = new Command('fernhilfe-agent')
    .description('Fernhilfe QuickSupport: lets a technician of your support company see and, with your consent, control this screen.')
    .addOption(new Option('--server <url>', 'the support server (built in: ' + (baked ?? 'none') + ')'))
    .option('--no-browser', 'do not open a browser; print the address of the support page instead')
    .option('--terminal', 'no support page: terms, ID, password and prompts in this terminal')
    .option('--dialog', 'no support page: terms, ID, password and prompts in a window of their own (Windows)')
    .addOption(new Option('--lang <language>', 'language').choices(['de', 'en']))
    .exitOverride()
    .configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (out += s) })
    .allowExcessArguments(false);
  try {
    program.parse([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return { ok: false, exitCode: err.exitCode, message: out || err.message, stream: err.exitCode === 0 ? 'stdout' : 'stderr' };
    throw err;
  }
  const o = program.opts<{ server?: string; browser: boolean; terminal?: boolean; dialog?: boolean; lang?: 'de' | 'en' }>();
  const language = o.lang ?? languageFrom(env);
  const raw = o.server ?? baked;
  try {
    if (!raw) throw AgentError.noServerUrl();
    const face: Face = o.terminal ? 'terminal' : o.dialog ? 'dialog' : o.browser ? 'browser' : 'url';
    return { ok: true, config: { server: serverUrl(raw), face, language, pageGraceMs: graceFrom(env) } };
  } catch (err) {
    const e = AgentError.from(err);
    return { ok: false, exitCode: 2, message: `${e.say(language)} (${e.detail})\n`, stream: 'stderr' };
  }
}
