import { getProperty, type X11Connection } from './client.js';
import type { EventWaiter } from './events.js';

export interface SelectionAtoms {
  clipboard: number;
  utf8: number;
  incr: number;
  targets: number;
  text: number;
  string: number;
  atom: number;
  /** the property on our window that transfers land in */
  transfer: number;
}

const TIMEOUT_MS = 2_000;
const PROPERTY_NEW_VALUE = 0;

/**
 * Asks the CLIPBOARD's owner for its text (ConvertSelection to UTF8_STRING, then STRING) and reads
 * it from a property of our window, in increments (INCR) when the owner sends it so. Undefined when
 * there is no text, it is larger than `maxBytes`, or the owner does not answer.
 */
export async function readSelection(x: X11Connection, events: EventWaiter, window: number, atoms: SelectionAtoms, maxBytes: number): Promise<string | undefined> {
  for (const target of [atoms.utf8, atoms.string]) {
    const notified = events.next('SelectionNotify', (e) => e.requestor === window && e.selection === atoms.clipboard, TIMEOUT_MS);
    x.client.ConvertSelection(window, atoms.clipboard, target, atoms.transfer);
    const ev = await notified;
    if (!ev || ev.property === 0) continue; // refused (no such target) or no answer
    const bytes = await readProperty(x, events, window, atoms, maxBytes);
    if (bytes === undefined) return undefined;
    return target === atoms.string ? bytes.toString('latin1') : new TextDecoder('utf-8').decode(bytes);
  }
  return undefined;
}

async function readProperty(x: X11Connection, events: EventWaiter, window: number, atoms: SelectionAtoms, maxBytes: number): Promise<Buffer | undefined> {
  const nextValue = () => events.next('PropertyNotify', (e) => e.wid === window && e.atom === atoms.transfer && e.state === PROPERTY_NEW_VALUE, TIMEOUT_MS);
  let chunk = nextValue();
  const first = await getProperty(x, window, atoms.transfer, true, maxBytes + 4);
  if (first.type !== atoms.incr) {
    void chunk; // not incremental: no further values come
    return first.bytesAfter > 0 || first.data.length > maxBytes ? undefined : first.data;
  }
  // INCR: deleting the property asked for the first chunk; each chunk is read and deleted; an empty one ends it
  const parts: Buffer[] = [];
  let total = 0;
  for (;;) {
    if (!(await chunk)) return undefined;
    chunk = nextValue();
    const part = await getProperty(x, window, atoms.transfer, true, maxBytes + 4);
    if (part.data.length === 0) return Buffer.concat(parts);
    total += part.data.length;
    if (total > maxBytes) return undefined;
    parts.push(part.data);
  }
}
