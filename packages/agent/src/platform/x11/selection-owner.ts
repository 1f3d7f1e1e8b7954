import { eventMask, type X11Connection } from './client.js';
import { isEvent, type XEvent } from './events.js';
import type { SelectionAtoms } from './selection-read.js';

const PROPERTY_DELETED = 1;
const REPLACE = 0;
/** INCR chunks: well below the core request limit (256 KiB), which ChangeProperty must fit */
const CHUNK_BYTES = 64 * 1024;

interface Incr {
  requestor: number;
  property: number;
  data: Buffer;
  offset: number;
}

/**
 * Serves the text we own on the CLIPBOARD selection to whoever asks (SelectionRequest): TARGETS,
 * UTF8_STRING / TEXT, STRING; large text in increments (INCR) with chunks below the request limit.
 */
export class SelectionOwner {
  private text: Buffer | undefined;
  private readonly transfers: Incr[] = [];

  constructor(
    private readonly x: X11Connection,
    private readonly atoms: SelectionAtoms,
  ) {}

  set(text: string | undefined): void {
    this.text = text === undefined ? undefined : Buffer.from(text, 'utf8');
  }

  get owned(): string | undefined {
    return this.text?.toString('utf8');
  }

  handleEvent(e: XEvent): void {
    if (!this.x.isOpen) return;
    if (isEvent(e, 'SelectionRequest')) this.onRequest(e);
    else if (isEvent(e, 'SelectionClear') && e.selection === this.atoms.clipboard) this.text = undefined;
    else if (isEvent(e, 'PropertyNotify') && e.state === PROPERTY_DELETED) this.onDeleted(e.wid, e.atom);
  }

  private onRequest(e: { time: number; requestor: number; selection: number; target: number; property: number }): void {
    const property = e.property || e.target; // an old client names no property: use the target
    const answer = e.selection === this.atoms.clipboard && this.text ? this.provide(e.requestor, property, e.target, this.text) : false;
    const notify = { name: 'SelectionNotify', time: e.time, requestor: e.requestor, selection: e.selection, target: e.target, property: answer ? property : 0 };
    this.x.client.SendEvent(e.requestor, 0, 0, notify); // no mask: goes to the requestor window's creator
  }

  private provide(requestor: number, property: number, target: number, text: Buffer): boolean {
    const a = this.atoms;
    if (target === a.targets) {
      const list = Buffer.alloc(16);
      [a.targets, a.utf8, a.text, a.string].forEach((atom, i) => list.writeUInt32LE(atom, 4 * i));
      this.x.client.ChangeProperty(REPLACE, requestor, property, a.atom, 32, list);
      return true;
    }
    if (target !== a.utf8 && target !== a.text && target !== a.string) return false;
    const data = target === a.string ? Buffer.from(text.toString('utf8'), 'latin1') : text;
    const type = target === a.string ? a.string : a.utf8;
    if (data.length <= CHUNK_BYTES) {
      this.x.client.ChangeProperty(REPLACE, requestor, property, type, 8, data);
      return true;
    }
    // INCR: watch the requestor's property; each time it deletes it, the next chunk goes in
    this.x.client.ChangeWindowAttributes(requestor, { eventMask: eventMask.PropertyChange });
    const size = Buffer.alloc(4);
    size.writeUInt32LE(data.length, 0);
    this.x.client.ChangeProperty(REPLACE, requestor, property, a.incr, 32, size);
    this.transfers.push({ requestor, property, data: Buffer.from(data), offset: 0 });
    return true;
  }

  private onDeleted(window: number, property: number): void {
    const i = this.transfers.findIndex((t) => t.requestor === window && t.property === property);
    const t = this.transfers[i];
    if (!t) return;
    const part = t.data.subarray(t.offset, t.offset + CHUNK_BYTES);
    t.offset += part.length;
    this.x.client.ChangeProperty(REPLACE, window, property, this.atoms.utf8, 8, Buffer.from(part));
    if (part.length === 0) this.transfers.splice(i, 1); // the empty chunk ends the transfer
  }
}
