import type { Randr } from 'x11';
import type { X11Connection } from './client.js';
import type { Monitor, Rect } from '../types.js';

/** RandR events that can change the monitors: ScreenChangeNotify (first event) and RRNotify (crtc/output changes). */
export const RANDR_SELECT = (r: Randr): number => r.NotifyMask.ScreenChange | r.NotifyMask.CrtcChange | r.NotifyMask.OutputChange;
export const isRandrChange = (r: Randr, type: number): boolean => type === r.firstEvent || type === r.firstEvent + 1;

/** RandR with monitors (1.5), or undefined: then the whole screen is one monitor. */
export async function openRandr(x: X11Connection): Promise<Randr | undefined> {
  const r = await x.extension('randr').catch(() => undefined);
  return r && (r.major_version > 1 || (r.major_version === 1 && r.minor_version >= 5)) ? r : undefined;
}

interface RawMonitor extends Rect {
  atom: number;
  primary: boolean;
}

const GET_MONITORS = 42;

/**
 * RRGetMonitors (RandR 1.5), which the package's randr module lacks: packed here the way the
 * package packs its own extension requests (`seq_num++`, `pack_stream`, a reply parser in `replies`).
 *   request: u8 major | u8 42 | u16 3 | u32 window | u8 get-active | 3 pad
 *   reply body (after the 8-byte header): u32 timestamp | u32 nmonitors | u32 noutputs | 12 pad | MONITORINFO…
 *   MONITORINFO: u32 name (atom) | u8 primary | u8 automatic | u16 noutput | i16 x | i16 y | u16 w | u16 h
 *                | u32 width-mm | u32 height-mm | noutput * u32 output
 */
function getMonitors(x: X11Connection, randr: Randr): Promise<RawMonitor[]> {
  return x.reply<RawMonitor[]>((cb) => {
    const X = x.client;
    const b = Buffer.alloc(12);
    b[0] = randr.majorOpcode;
    b[1] = GET_MONITORS;
    b.writeUInt16LE(3, 2);
    b.writeUInt32LE(x.root, 4);
    b[8] = 1;
    X.seq_num++;
    X.pack_stream.put(b);
    X.replies[X.seq_num] = [parseMonitors, cb as (err: unknown, value: unknown) => unknown];
    X.pack_stream.submit(true);
  });
}

function parseMonitors(body: Buffer): RawMonitor[] {
  const count = body.readUInt32LE(4);
  const out: RawMonitor[] = [];
  for (let i = 0, at = 24; i < count && at + 24 <= body.length; i++) {
    out.push({ atom: body.readUInt32LE(at), primary: body[at + 4] === 1, x: body.readInt16LE(at + 8), y: body.readInt16LE(at + 10), width: body.readUInt16LE(at + 12), height: body.readUInt16LE(at + 14) });
    at += 24 + 4 * body.readUInt16LE(at + 6);
  }
  return out;
}

const atomName = (x: X11Connection, atom: number): Promise<string> => (atom ? x.reply<string>((cb) => x.client.GetAtomName(atom, cb)).catch(() => '') : Promise.resolve(''));

/** RandR monitors, or the whole screen as one when RandR is missing or lists none. */
export async function readMonitors(x: X11Connection, randr: Randr | undefined, screen: { width: number; height: number }): Promise<Monitor[]> {
  const { width, height } = screen;
  const list = (await (randr ? getMonitors(x, randr) : Promise.resolve([])).catch(() => [])) as RawMonitor[];
  const onScreen = list.filter((m) => m.width > 1 && m.height > 1 && m.x >= 0 && m.y >= 0 && m.x + m.width <= width && m.y + m.height <= height);
  // a monitor that spans others (the automatic whole-screen one next to user-defined `xrandr --setmonitor` parts) is not one to pick
  const valid = onScreen.filter((m) => !onScreen.some((o) => o !== m && contains(m, o)));
  if (valid.length === 0) return [{ id: 'screen', name: 'Screen', primary: true, x: 0, y: 0, width, height }];
  const names = await Promise.all(valid.map((m) => atomName(x, m.atom)));
  return valid.map((m, i) => ({ id: `${i}:${names[i] || 'monitor'}`, name: names[i] || `Monitor ${i + 1}`, primary: m.primary, x: m.x, y: m.y, width: m.width, height: m.height }));
}

const contains = (a: Rect, b: Rect): boolean => a.x <= b.x && a.y <= b.y && a.x + a.width >= b.x + b.width && a.y + a.height >= b.y + b.height && (a.width > b.width || a.height > b.height);
