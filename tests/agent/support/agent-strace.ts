/**
 * Reading an strace log for "the agent leaves nothing behind": every call that creates, changes or
 * removes a file, and every open for writing, outside /dev and /proc.
 */
export const FILE_WRITE_CALLS = [
  'open', 'openat', 'openat2', 'creat', 'rename', 'renameat', 'renameat2', 'mkdir', 'mkdirat', 'unlink', 'unlinkat',
  'rmdir', 'link', 'linkat', 'symlink', 'symlinkat', 'truncate', 'chmod', 'fchmodat', 'mknod', 'mknodat',
] as const;

/** strace's arguments (the program itself is 'strace') that log every file write, and every program started, into `logFile`. */
export function straceArgs(logFile: string): string[] {
  return ['-f', '-qq', '-e', `trace=${[...FILE_WRITE_CALLS, 'execve'].join(',')}`, '-o', logFile];
}

const ALLOWED = /^\/(dev|proc)\//;
const WRITE_FLAGS = /O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_APPEND/;

export interface FileWrite {
  line: string;
  call: string;
  path: string;
}

/** The lines of `log` that write outside /dev and /proc (attempts count too: an attempt is an intent). */
export function writesOutsideDevProc(log: string): FileWrite[] {
  const found: FileWrite[] = [];
  for (const raw of log.split('\n')) {
    // "1234  openat(AT_FDCWD, \"/x\", O_WRONLY|O_CREAT, 0666) = 3", possibly split as "<unfinished ...>"
    const m = /^(?:\[pid\s+)?\d*\]?\s*(\w+)\((.*)$/.exec(raw.trim());
    if (!m) continue;
    const call = m[1]!;
    if (!(FILE_WRITE_CALLS as readonly string[]).includes(call)) continue;
    const paths = [...m[2]!.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((p) => p[1]!);
    const isOpen = call === 'open' || call === 'openat' || call === 'openat2';
    if (isOpen && !WRITE_FLAGS.test(m[2]!)) continue;
    for (const path of isOpen ? paths.slice(0, 1) : paths) if (!ALLOWED.test(path)) found.push({ line: raw, call, path });
  }
  return found;
}

/** How many open calls the log holds at all (to show the trace saw the agent's work). */
export function openCount(log: string): number {
  return log.split('\n').filter((l) => /\bopenat?\(/.test(l)).length;
}
