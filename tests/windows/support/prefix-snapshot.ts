import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';

/**
 * What a Windows program can leave behind in a wine prefix, in a form two runs can be compared by:
 * every registry value (system.reg, user.reg, userdef.reg parsed into key + value name → data) and
 * every entry under drive_c with its size (symbolic links with their target, not followed: wine links
 * the user's Desktop, Documents, Downloads… to the Linux home).
 */
export interface PrefixSnapshot {
  registry: Map<string, string>;
  files: Map<string, string>;
}

const REGISTRY_FILES = ['system.reg', 'user.reg', 'userdef.reg'];

/**
 * Values wine itself rewrites on every start of a Windows program, whatever the program does; each
 * one is left out of the comparison for the reason given, and nothing else is.
 */
const WINE_VOLATILE: Array<{ value: RegExp; why: string }> = [
  {
    // {4D36E968-…} is the class of display adapters; wine's X11 driver registers its adapter again
    // whenever a process initialises the display and stamps DriverDateData with the current time
    value: /^system\.reg:\[System\\\\CurrentControlSet\\\\Control\\\\Class\\\\\{4D36E968-E325-11CE-BFC1-08002BE10318\}\\\\\d{4}\] "DriverDateData"$/,
    why: 'the display driver load time',
  },
  {
    // the monitor's work area (device property {233a9ef3-…} 4: the desktop minus the taskbar), which
    // wine's display driver writes down whenever it changes: wine's explorer shows its taskbar on the
    // virtual desktop while windows are open (e.g. the browser's) and hides it again
    value: /^system\.reg:\[System\\\\CurrentControlSet\\\\Enum\\\\DISPLAY\\\\[^\]]*\\\\Properties\\\\\{233a9ef3-afc4-4abd-b564-c32f21f1535b\}\\\\0004\] @$/,
    why: 'the work area beside wine’s taskbar',
  },
];

/** A key's header: `[Software\\Wine\\WineBrowser] 1796617352`; the number is when wine last wrote the key. */
const KEY_LINE = /^\[(.+)\](?: \d+)?$/;
/** A value: `"name"=data` or `@=data` (the key's default value). */
const VALUE_LINE = /^(@|"(?:[^"\\]|\\.)*")=(.*)$/s;

/** One registry file's values, keyed `file:[key] name`. */
export function parseRegistry(file: string, text: string, into = new Map<string, string>()): Map<string, string> {
  // a value may go on over several lines, each but the last ending in a backslash (long hex data)
  const lines = text.replace(/\\\n\s*/g, '').split('\n');
  let key: string | undefined;
  for (const raw of lines) {
    const line = raw.trimEnd();
    // comments (`;;`), the format line, `#arch=`; and `#time=`: the key's last write time, which wine
    // renews whenever it touches a key, also when the data stays the same (a timestamp, not content)
    if (line === '' || line.startsWith(';') || line.startsWith('#time=') || line.startsWith('#arch=') || line.startsWith('WINE REGISTRY')) continue;
    const k = KEY_LINE.exec(line);
    if (k) {
      key = k[1]!;
      into.set(`${file}:[${key}]`, '');
      continue;
    }
    const v = VALUE_LINE.exec(line);
    if (v && key !== undefined) {
      const name = `${file}:[${key}] ${v[1]}`;
      if (!WINE_VOLATILE.some((w) => w.value.test(name))) into.set(name, v[2]!);
    }
    else into.set(`${file}:[${key ?? ''}] ?${line}`, '');
  }
  return into;
}

function walk(root: string, rel: string, into: Map<string, string>): void {
  for (const entry of readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const r = path.join(rel, entry.name);
    const full = path.join(root, r);
    if (entry.isSymbolicLink()) into.set(r, `-> ${readlinkSync(full)}`);
    else if (entry.isDirectory()) {
      into.set(r + '/', 'dir');
      walk(root, r, into);
    } else into.set(r, `${lstatSync(full).size} bytes`);
  }
}

export function snapshotPrefix(prefix: string): PrefixSnapshot {
  const registry = new Map<string, string>();
  for (const file of REGISTRY_FILES) parseRegistry(file, readFileSync(path.join(prefix, file), 'utf8'), registry);
  const files = new Map<string, string>();
  walk(path.join(prefix, 'drive_c'), '', files);
  return { registry, files };
}

/** Every difference, one line each: `+ added`, `- removed`, `~ changed (before → after)`. */
export function prefixDifferences(before: PrefixSnapshot, after: PrefixSnapshot): string[] {
  const out: string[] = [];
  for (const [what, a, b] of [
    ['registry', before.registry, after.registry],
    ['drive_c', before.files, after.files],
  ] as const) {
    for (const [k, v] of b) {
      if (!a.has(k)) out.push(`+ ${what} ${k} = ${v}`);
      else if (a.get(k) !== v) out.push(`~ ${what} ${k}: ${a.get(k)} → ${v}`);
    }
    for (const k of a.keys()) if (!b.has(k)) out.push(`- ${what} ${k}`);
  }
  return out;
}
