import type { PointerInfo, Property } from 'x11';
import type { X11Connection } from './client.js';

/** Promise forms of the core requests with replies that input and the clipboard use. */

export function internAtom(x: X11Connection, name: string): Promise<number> {
  return x.reply<number>((cb) => x.client.InternAtom(false, name, cb));
}

/** rows[keycode - min][column]: the whole core keyboard mapping. */
export function getKeyboardMapping(x: X11Connection): Promise<number[][]> {
  const { min, max } = x.keycodes;
  return x.reply<number[][]>((cb) => x.client.GetKeyboardMapping(min, max - min + 1, cb));
}

/** keycodes[modifier 0..7] (Shift, Lock, Control, Mod1..Mod5), empty slots dropped. */
export async function getModifierMapping(x: X11Connection): Promise<number[][]> {
  const rows = await x.reply<number[][]>((cb) => x.client.GetModifierMapping(cb));
  return rows.map((row) => row.filter((k) => k !== 0));
}

/** Where the pointer is on the root window, and the key/button state mask. */
export async function queryPointer(x: X11Connection): Promise<{ x: number; y: number; mask: number }> {
  const p = await x.reply<PointerInfo>((cb) => x.client.QueryPointer(x.root, cb));
  return { x: p.rootX, y: p.rootY, mask: p.keyMask };
}

/** The 256 key bits: which keycodes are down right now. */
export async function queryKeymap(x: X11Connection): Promise<Buffer> {
  return Buffer.from(await x.reply<Buffer>((cb) => x.client.QueryKeymap(cb)));
}

export function getSelectionOwner(x: X11Connection, selection: number): Promise<number> {
  return x.reply<number>((cb) => x.client.GetSelectionOwner(selection, cb));
}

export interface PropertyValue {
  type: number;
  format: number;
  bytesAfter: number;
  data: Buffer;
}

const ANY_PROPERTY_TYPE = 0;

/** Reads up to `maxBytes` of a property (from offset 0), optionally deleting it afterwards. */
export async function getProperty(x: X11Connection, window: number, property: number, remove: boolean, maxBytes: number): Promise<PropertyValue> {
  const p = await x.reply<Property>((cb) => x.client.GetProperty(remove ? 1 : 0, window, property, ANY_PROPERTY_TYPE, 0, Math.ceil(maxBytes / 4), cb));
  return { type: p.type, format: p.format, bytesAfter: p.bytesAfter, data: Buffer.from(p.data) };
}
