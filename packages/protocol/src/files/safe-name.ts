/**
 * File names from the other side are hostile until made safe. `safeFileName` turns any string into one
 * plain file name that is valid on Linux, macOS and Windows and stays inside the folder it is joined to:
 *
 * - only the last path component counts (`/` and `\` both separate): `../../etc/passwd` -> `passwd`,
 *   `C:\Windows\x` -> `x`;
 * - control characters (C0, DEL, C1), bidi overrides and the characters Windows forbids (`<>:"|?*`) become `_`;
 * - leading dots and spaces go (no hidden files, no `.`/`..`), trailing dots and spaces go (Windows drops them);
 * - reserved Windows device names (CON, PRN, AUX, NUL, COM0-9, LPT0-9, also with an extension) get a `_` prefix;
 * - more than 255 bytes of UTF-8 are cut from the end of the stem, keeping the extension;
 * - what is left empty becomes `fallback` ("file").
 *
 * `uniqueFileName` picks "name (2).ext", "name (3).ext", ... when the name (compared case-insensitively,
 * as on Windows and macOS) is taken, so nothing is ever overwritten silently.
 */
export const MAX_NAME_BYTES = 255;
const MAX_EXTENSION_CHARS = 16;
export const DEFAULT_FILE_NAME = 'file';

const encoder = new TextEncoder();
const byteLength = (s: string): number => encoder.encode(s).length;

// C0 controls, DEL, C1 controls, bidi embedding/override/isolate marks, and what Windows forbids
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069<>:"|?*]/g;
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\.|$)/i;

export function safeFileName(raw: string, fallback = DEFAULT_FILE_NAME): string {
  const parts = raw.normalize('NFC').split(/[/\\]/);
  let name = parts.filter((p) => p.trim() !== '' && p !== '.' && p !== '..').pop() ?? '';
  name = name.replace(UNSAFE, '_');
  name = name.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  if (RESERVED.test(name)) name = `_${name}`;
  name = fitBytes(name, MAX_NAME_BYTES);
  name = name.replace(/[.\s]+$/, '');
  return name === '' ? fallback : name;
}

/** Splits "report.final.pdf" into ["report.final", ".pdf"]; a name without a usable extension has "". */
export function splitExtension(name: string): [stem: string, ext: string] {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || name.length - dot > MAX_EXTENSION_CHARS + 1) return [name, ''];
  return [name.slice(0, dot), name.slice(dot)];
}

/** Cuts code points off the end of the stem until the whole name fits `max` bytes of UTF-8. */
function fitBytes(name: string, max: number): string {
  if (byteLength(name) <= max) return name;
  const [stem, ext] = splitExtension(name);
  const room = max - byteLength(ext);
  let out = '';
  let used = 0;
  for (const ch of stem) {
    const n = byteLength(ch);
    if (used + n > room) break;
    out += ch;
    used += n;
  }
  return out + ext;
}

/**
 * `name` (already safe) if no name in `taken` equals it ignoring case, else the first free
 * "stem (n).ext" for n = 2, 3, ... (still at most 255 bytes).
 */
export function uniqueFileName(name: string, taken: Iterable<string>): string {
  const lower = new Set<string>();
  for (const t of taken) lower.add(t.normalize('NFC').toLowerCase());
  if (!lower.has(name.toLowerCase())) return name;
  const [stem, ext] = splitExtension(name);
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`;
    const candidate = fitBytes(stem, MAX_NAME_BYTES - byteLength(suffix) - byteLength(ext)) + suffix + ext;
    if (!lower.has(candidate.toLowerCase())) return candidate;
  }
}
