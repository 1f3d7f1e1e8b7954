import { SelectionOwner } from '../../../packages/agent/src/platform/x11/selection-owner.js';
import type { SelectionAtoms } from '../../../packages/agent/src/platform/x11/selection-read.js';
import { InputOnly, X11Connection, eventMask, getSelectionOwner, internAtom } from '../../../packages/agent/src/platform/x11/client.js';
import { isEvent, type XEvent } from '../../../packages/agent/src/platform/x11/events.js';

/**
 * An application that copies text and answers paste requests only when the test says so: a slow
 * clipboard owner (a busy program, a remote X client). It records who asked, so a test can see that
 * the agent read (or did not read) the clipboard. Serving is the agent's own SelectionOwner.
 */
export interface ClipboardHolder {
  /** requests for the text, from any other X client (the agent's window) */
  readonly requests: number;
  copy(text: string): Promise<void>;
  /** whether this application still owns the clipboard (another one copied since) */
  owns(): Promise<boolean>;
  /** answers every request held so far */
  answer(): void;
  close(): Promise<void>;
}

export async function openClipboardHolder(display: string): Promise<ClipboardHolder> {
  const x = await X11Connection.open(display);
  const names = ['CLIPBOARD', 'UTF8_STRING', 'INCR', 'TARGETS', 'TEXT', 'FERNHILFE_TEST_CLIPBOARD', 'STRING', 'ATOM'];
  const [clipboard, utf8, incr, targets, text, transfer, string, atom] = await Promise.all(names.map((n) => internAtom(x, n)));
  const atoms: SelectionAtoms = { clipboard: clipboard!, utf8: utf8!, incr: incr!, targets: targets!, text: text!, transfer: transfer!, string: string!, atom: atom! };
  const window = x.client.AllocID();
  x.client.CreateWindow(window, x.root, -10, -10, 1, 1, 0, 0, InputOnly, 0, { eventMask: eventMask.PropertyChange });
  const owner = new SelectionOwner(x, atoms);
  const held: XEvent[] = [];
  let requests = 0;
  x.on('event', (e) => {
    if (isEvent(e, 'SelectionRequest')) {
      requests++;
      held.push(e);
    } else owner.handleEvent(e);
  });
  return {
    get requests() {
      return requests;
    },
    copy: async (t) => {
      owner.set(t);
      x.client.SetSelectionOwner(window, atoms.clipboard);
      if ((await getSelectionOwner(x, atoms.clipboard)) !== window) throw new Error('could not take the clipboard');
    },
    owns: async () => (await getSelectionOwner(x, atoms.clipboard)) === window,
    answer: () => {
      for (const e of held.splice(0)) owner.handleEvent(e);
    },
    close: () => x.close(),
  };
}
