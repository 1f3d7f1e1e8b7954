import type { DesktopShell, PlatformEnv } from '../types.js';
import { openWindowsDialog } from './dialog.js';
import { desktopElevation } from './elevation.js';
import { loadKoffi, type KoffiApi } from './koffi.js';

/** ShellExecuteW returns a value above 32 when it started something (the Win32 convention). */
const SHELL_EXECUTE_OK = 32;
const SW_SHOWNORMAL = 1;

type ShellExecute = ((...args: unknown[]) => unknown) & { async: (...args: unknown[]) => void };

let shellExecute: ShellExecute | undefined;

function shellExecuteW(koffi: KoffiApi): ShellExecute {
  shellExecute ??= koffi.load('shell32.dll').func('__stdcall', 'ShellExecuteW', 'intptr', ['void *', 'str16', 'str16', 'str16', 'str16', 'int']) as unknown as ShellExecute;
  return shellExecute;
}

/**
 * `ShellExecuteW(NULL, verb, file, parameters, NULL, SW_SHOWNORMAL)` on one of koffi's worker
 * threads (the shell may take a moment to start a browser; the event loop keeps running). Resolves
 * true when the shell started something, false when it could not (no browser registered for http,
 * the customer said no to an elevation prompt).
 */
export async function shellExecuteAsync(env: PlatformEnv, verb: 'open' | 'runas', file: string, parameters?: string): Promise<boolean> {
  const fn = shellExecuteW(loadKoffi(env));
  return new Promise<boolean>((resolve) => {
    fn.async(null, verb, file, parameters ?? null, null, SW_SHOWNORMAL, (err: unknown, result: unknown) => {
      resolve(!err && Number(result) > SHELL_EXECUTE_OK);
    });
  });
}

/** Quotes one argument for a Windows command line (the rules of CommandLineToArgvW). */
export function quoteArgument(arg: string): string {
  if (arg !== '' && !/[\s"]/.test(arg)) return arg;
  let out = '"';
  let slashes = 0;
  for (const ch of arg) {
    if (ch === '\\') {
      slashes++;
      continue;
    }
    out += ch === '"' ? '\\'.repeat(slashes * 2 + 1) + '"' : '\\'.repeat(slashes) + ch;
    slashes = 0;
  }
  return out + '\\'.repeat(slashes * 2) + '"';
}

/**
 * The Windows shell around the session: the customer's default browser for the page (the shell's
 * handler for http, e.g. Edge; under wine winebrowser) and, on the customer's click, the program
 * started again elevated ("runas": Windows asks for consent on the secure desktop), and a plain
 * native dialog where no browser can be opened.
 */
export function windowsShell(env: PlatformEnv): DesktopShell {
  return {
    openUrl: (url) => shellExecuteAsync(env, 'open', url),
    restartElevated: (file, args) => shellExecuteAsync(env, 'runas', file, args.map(quoteArgument).join(' ')),
    openDialog: (title) => openWindowsDialog(env, title),
    elevation: () => desktopElevation(env),
  };
}
