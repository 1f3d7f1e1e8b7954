import { spawnProgram, type Command } from '@fernhilfe/programs';

/**
 * Opens `url` in the customer's browser: each command in $BROWSER (colon-separated, "%s" stands for
 * the URL), then xdg-open. Resolves true once a command started and did not fail within a moment,
 * false when none could (no browser: the agent falls back to its terminal UI). The URL is passed
 * as an argument, never through a shell.
 */
export async function openBrowser(url: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const configured = (env.BROWSER ?? '').split(':').filter((c) => c.trim() !== '');
  for (const candidate of configured) {
    const [file, ...rest] = candidate.trim().split(/\s+/);
    if (!file) continue;
    const args = rest.some((a) => a.includes('%s')) ? rest.map((a) => a.replace('%s', url)) : [...rest, url];
    if (await tryStart({ file }, args, env)) return true;
  }
  return tryStart('xdg-open', [url], env);
}

/** xdg-open exits 3 or 4 when it finds no browser; a browser itself keeps running. */
function tryStart(command: Command, args: string[], env: NodeJS.ProcessEnv, settleMs = 1_500): Promise<boolean> {
  return new Promise((resolve) => {
    let child;
    try {
      child = spawnProgram(command, args, { stdio: 'ignore', detached: true, env });
    } catch {
      return resolve(false);
    }
    const timer = setTimeout(() => {
      child.unref();
      resolve(true);
    }, settleMs);
    child.once('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      child.unref();
      resolve(code === 0);
    });
  });
}
