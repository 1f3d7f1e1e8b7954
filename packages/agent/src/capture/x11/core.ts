import { request, words } from './bytes.js';
import type { XConnection } from './connection.js';

/** Core protocol requests the capture needs (X11 protocol, chapter 9). */
const OP = { getAtomName: 17, queryPointer: 38, getImage: 73 } as const;
const Z_PIXMAP = 2;

export interface Area {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * GetImage, ZPixmap, all planes: the pixels of `area` of `drawable`. With a 24-bit TrueColor root
 * each pixel is 4 bytes B, G, R, unused (the server answers in our byte order, little-endian).
 *   request: u8 73 | u8 format | u16 5 | u32 drawable | i16 x | i16 y | u16 width | u16 height | u32 plane-mask
 *   reply:   u8 1 | u8 depth | u16 seq | u32 length | u32 visual | 20 unused | data
 */
export async function getImage(x: XConnection, drawable: number, area: Area): Promise<{ depth: number; data: Buffer }> {
  const body = Buffer.alloc(16);
  body.writeUInt32LE(drawable, 0);
  body.writeInt16LE(area.x, 4);
  body.writeInt16LE(area.y, 6);
  body.writeUInt16LE(area.width, 8);
  body.writeUInt16LE(area.height, 10);
  body.writeUInt32LE(0xffffffff, 12);
  const reply = await x.call(request(OP.getImage, Z_PIXMAP, body));
  return { depth: reply[1]!, data: reply.subarray(32) };
}

/** QueryPointer on the root: the pointer position in root coordinates (reply bytes 16..19). */
export async function queryPointer(x: XConnection, window: number): Promise<{ x: number; y: number; sameScreen: boolean }> {
  const r = await x.call(request(OP.queryPointer, 0, words(window)));
  return { sameScreen: r[1] === 1, x: r.readInt16LE(16), y: r.readInt16LE(18) };
}

/** GetAtomName: reply u16 name length at 8, the name from 32. */
export async function getAtomName(x: XConnection, atom: number): Promise<string> {
  const r = await x.call(request(OP.getAtomName, 0, words(atom)));
  return r.subarray(32, 32 + r.readUInt16LE(8)).toString('latin1');
}
