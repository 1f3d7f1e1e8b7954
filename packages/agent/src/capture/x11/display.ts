import { existsSync, readFileSync } from 'node:fs';
import { homedir, hostname } from 'node:os';
import path from 'node:path';
import { connectTcp, connectUnix, type XSocket } from './socket.js';

/** Where a DISPLAY value points. `:1`, `unix:1.0` -> the local socket; `host:1` -> TCP 6001. */
export interface DisplayAddress {
  host: string | undefined;
  display: number;
  screen: number;
}

export function parseDisplay(value: string): DisplayAddress {
  const m = /^([^:]*):(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!m) throw new Error(`DISPLAY "${value}" is not of the form [host]:number[.screen]`);
  const host = m[1] === '' || m[1] === 'unix' ? undefined : m[1];
  return { host, display: Number(m[2]), screen: Number(m[3] ?? 0) };
}

export async function openDisplaySocket(addr: DisplayAddress): Promise<XSocket> {
  if (addr.host !== undefined) return connectTcp(addr.host, 6000 + addr.display);
  const file = `/tmp/.X11-unix/X${addr.display}`;
  // Xorg listens on both; the abstract socket also works inside a private /tmp
  return existsSync(file) ? connectUnix(file) : connectUnix(`\0${file}`);
}

export interface XAuth {
  name: string;
  data: Buffer;
}

const FAMILY_LOCAL = 256;
const FAMILY_WILD = 65535;

/**
 * The MIT-MAGIC-COOKIE-1 for this display from $XAUTHORITY or ~/.Xauthority (read only; format:
 * big-endian u16 family, then four u16-length-prefixed fields: address, display number, name, data).
 * Undefined when there is none: servers such as Xvfb without -auth need none.
 */
export function findXAuth(addr: DisplayAddress, env: NodeJS.ProcessEnv = process.env): XAuth | undefined {
  const file = env.XAUTHORITY || path.join(homedir(), '.Xauthority');
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  const local = addr.host === undefined || addr.host === 'localhost';
  const me = hostname();
  for (const entry of parseXAuthority(bytes)) {
    if (entry.name !== 'MIT-MAGIC-COOKIE-1') continue;
    if (entry.display !== '' && entry.display !== String(addr.display)) continue;
    const hostMatches = entry.family === FAMILY_WILD || (local ? entry.family === FAMILY_LOCAL && entry.address === me : entry.address === addr.host);
    if (hostMatches) return { name: entry.name, data: entry.data };
  }
  return undefined;
}

export function parseXAuthority(bytes: Buffer): Array<{ family: number; address: string; display: string; name: string; data: Buffer }> {
  const out = [];
  let at = 0;
  const field = (): Buffer => {
    if (at + 2 > bytes.length) throw new RangeError('truncated');
    const n = bytes.readUInt16BE(at);
    if (at + 2 + n > bytes.length) throw new RangeError('truncated');
    const b = bytes.subarray(at + 2, at + 2 + n);
    at += 2 + n;
    return b;
  };
  try {
    while (at + 2 <= bytes.length) {
      const family = bytes.readUInt16BE(at);
      at += 2;
      const address = field().toString('latin1');
      const display = field().toString('latin1');
      const name = field().toString('latin1');
      out.push({ family, address, display, name, data: Buffer.from(field()) });
    }
  } catch {
    // a truncated file: keep the complete entries
  }
  return out;
}
