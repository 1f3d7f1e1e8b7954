import { CLIPBOARD_MAX_BYTES } from '@fernhilfe/protocol';
import type { XFixes } from 'x11';
import { InputOnly, X11Connection, eventMask, getSelectionOwner, internAtom } from './client.js';
import { EventWaiter } from './events.js';
import type { ClipboardBackend } from '../types.js';
import { ClipboardError } from '../errors.js';
import { SelectionOwner } from './selection-owner.js';
import { readSelection, type SelectionAtoms } from './selection-read.js';

/**
 * The X CLIPBOARD selection as a text clipboard, on its own X connection (the `x11` package): an
 * unmapped window of ours is the owner when the technician's text is pasted in, and the requestor
 * when the customer copies something (XFIXES tells us the owner changed). Nothing touches a file.
 */
export class X11Clipboard implements ClipboardBackend {
  private readonly listeners = new Set<(read: () => Promise<string | undefined>) => void>();
  private readonly owner: SelectionOwner;
  private readonly events: EventWaiter;
  private reading: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly x: X11Connection,
    private readonly window: number,
    private readonly atoms: SelectionAtoms,
    xfixes: XFixes,
  ) {
    this.owner = new SelectionOwner(x, atoms);
    this.events = new EventWaiter(x);
    x.on('event', (e) => {
      if (e.type === xfixes.firstEvent && e['selection'] === atoms.clipboard) {
        const newOwner = e['owner'];
        if (newOwner !== 0 && newOwner !== window) this.onForeignCopy();
      } else {
        this.owner.handleEvent(e);
      }
    });
  }

  static async open(display = process.env.DISPLAY ?? ''): Promise<X11Clipboard> {
    const x = await X11Connection.open(display);
    try {
      const xfixes = await x.extension('fixes');
      const [clipboard, utf8, incr, targets, text, transfer, string, atom] = await Promise.all(
        ['CLIPBOARD', 'UTF8_STRING', 'INCR', 'TARGETS', 'TEXT', 'FERNHILFE_CLIPBOARD', 'STRING', 'ATOM'].map((n) => internAtom(x, n)),
      );
      const window = x.client.AllocID();
      x.client.CreateWindow(window, x.root, -10, -10, 1, 1, 0, 0, InputOnly, 0, { eventMask: eventMask.PropertyChange });
      xfixes.SelectSelectionInput(window, clipboard!, xfixes.SelectionEventMask.SetSelectionOwner);
      const atoms = { clipboard: clipboard!, utf8: utf8!, incr: incr!, targets: targets!, text: text!, transfer: transfer!, string: string!, atom: atom! };
      return new X11Clipboard(x, window, atoms, xfixes);
    } catch (err) {
      await x.close();
      throw err;
    }
  }

  onCopy(listener: (read: () => Promise<string | undefined>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async write(text: string): Promise<void> {
    this.owner.set(text);
    this.x.client.SetSelectionOwner(this.window, this.atoms.clipboard);
    const owner = await getSelectionOwner(this.x, this.atoms.clipboard);
    if (owner !== this.window) throw new ClipboardError('not-owner', 'could not take the clipboard');
  }

  async read(): Promise<string | undefined> {
    const owner = await getSelectionOwner(this.x, this.atoms.clipboard);
    if (owner === 0) return undefined;
    if (owner === this.window) return this.owner.owned;
    return readSelection(this.x, this.events, this.window, this.atoms, CLIPBOARD_MAX_BYTES);
  }

  async close(): Promise<void> {
    if (!this.x.isOpen) return;
    this.x.client.DestroyWindow(this.window);
    await this.x.close();
  }

  /** Another application copied: tell the listeners; whoever wants the text reads it (one read at a time, in order). */
  private onForeignCopy(): void {
    for (const l of [...this.listeners]) l(() => this.readInTurn());
  }

  private readInTurn(): Promise<string | undefined> {
    const text = this.reading.then(() => this.read().catch(() => undefined));
    this.reading = text;
    return text;
  }
}
