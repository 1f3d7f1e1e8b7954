import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { vi } from 'vitest';
import type { WineDesktop } from '@fernhilfe/testkit';

/** What another Windows program (a screen reader, the customer) sees of the program's native dialog. */
export interface DialogSeen {
  found: boolean;
  title: string;
  text: string;
  /** the visible buttons' labels, left to right */
  buttons: string[];
}

/**
 * A small Windows Node script, run under wine beside the program, that finds the dialog by its
 * window class (FernhilfeQuickSupport), reads its title, its text (the Edit control) and its visible
 * buttons with WM_GETTEXT, or presses a button by its label (BM_CLICK), and writes what it saw to a file.
 */
const SCRIPT = String.raw`
const koffi = require(process.env.FERNHILFE_KOFFI_NATIVE);
const fs = require('fs');
const u = koffi.load('user32.dll');
const FindWindowW = u.func('void* __stdcall FindWindowW(str16, str16)');
const FindWindowExW = u.func('void* __stdcall FindWindowExW(void*, void*, str16, str16)');
const IsWindowVisible = u.func('bool __stdcall IsWindowVisible(void*)');
const SendText = u.func('intptr __stdcall SendMessageW(void*, uint32, uintptr, _Out_ uint16*)');
const PostMessageW = u.func('bool __stdcall PostMessageW(void*, uint32, uintptr, intptr)');
const [command, out, label] = process.argv.slice(2);
const textOf = (h) => { const buf = new Uint16Array(8192); const n = Number(SendText(h, 0x000d, 8192, buf)); return String.fromCharCode(...buf.slice(0, n)); };
const win = FindWindowW('FernhilfeQuickSupport', null);
const seen = { found: !!win, title: '', text: '', buttons: [] };
let pressed = false;
if (win) {
  seen.title = textOf(win);
  const edit = FindWindowExW(win, null, 'Edit', null);
  seen.text = edit ? textOf(edit).replace(/\r\n/g, '\n') : '';
  for (let b = FindWindowExW(win, null, 'Button', null); b; b = FindWindowExW(win, b, 'Button', null)) {
    if (!IsWindowVisible(b)) continue;
    const l = textOf(b);
    seen.buttons.push(l);
    if (command === 'click' && l === label && !pressed) pressed = PostMessageW(b, 0x00f5, 0, 0);
  }
}
fs.writeFileSync(out + '.part', JSON.stringify({ ...seen, pressed }));
fs.renameSync(out + '.part', out);
`;

export class DialogProbe {
  private n = 0;
  private readonly script: string;

  constructor(private readonly wine: WineDesktop, private readonly dir: string) {
    this.script = path.join(dir, 'dialog-probe.cjs');
    writeFileSync(this.script, SCRIPT);
  }

  private async run(args: string[]): Promise<DialogSeen & { pressed: boolean }> {
    const out = path.join(this.dir, `dialog-${++this.n}.json`);
    const proc = this.wine.node(this.script, [args[0]!, this.wine.winPath(out), ...args.slice(1)], { name: 'dialog-probe' });
    // not proc.exited(): while the program's desktop is up, `wine explorer /desktop=…` hands the
    // probe to it and returns at once; the probe's answer file is what says it is done
    await vi.waitFor(() => {
      if (!existsSync(out)) throw new Error(`the dialog probe gave no answer: ${JSON.stringify(proc.output())}`);
    }, { timeout: 60_000, interval: 50 });
    const seen = JSON.parse(readFileSync(out, 'utf8')) as DialogSeen & { pressed: boolean };
    rmSync(out);
    return seen;
  }

  read(): Promise<DialogSeen> {
    return this.run(['read']);
  }

  /** presses the visible button labelled `label`; throws when there is none */
  async click(label: string): Promise<void> {
    const seen = await this.run(['click', label]);
    if (!seen.pressed) throw new Error(`no button "${label}" in the dialog: ${JSON.stringify(seen)}`);
  }
}
