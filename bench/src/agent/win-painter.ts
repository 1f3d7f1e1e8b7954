/**
 * The workloads on the wine desktop for `bench:agent --platform win-x64`, the Windows side of the
 * X11 bench's four (workloads.ts), run in the Windows Node (bundled by win-bench.ts):
 * `node.exe win-painter.mjs WIDTH HEIGHT STATUS_FILE [MODE]`, MODE one of
 *   block   a 400x300 block moving across the desktop 30 times a second (the dragged window),
 *           painted with GDI FillRect on the desktop DC, its old place painted over with the background
 *   clock   an otherwise still desktop with a clock (HH:MM:SS, 48 px) drawn with TextOutW once a second
 *   typing  ~10 characters a second typed into Notepad (started by the Linux side): WM_CHAR posted to
 *           its Edit control, a sentence and Enter, over and over
 *   full    the whole desktop repainted 30 times a second with 64 shifting colour stripes
 * It ends once the capture's status file says the measured phase is over (a killed launcher would
 * leave the Windows process running under wine) and then writes what it did as JSON to
 * STATUS_FILE.painter.json (paints, and for typing the characters typed, the Enters among them and the
 * characters Notepad holds, read with WM_GETTEXTLENGTH: an Enter is CR LF there;
 * then it closes Notepad).
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type * as Koffi from 'koffi';

const module = { exports: {} as typeof Koffi };
process.dlopen(module, process.env.FERNHILFE_KOFFI_NATIVE ?? 'koffi.node');
const koffi = module.exports;
const user32 = koffi.load('user32.dll');
const gdi32 = koffi.load('gdi32.dll');
const RECT = koffi.struct({ left: 'int32', top: 'int32', right: 'int32', bottom: 'int32' });
const GetDC = user32.func('__stdcall', 'GetDC', 'void*', ['void*']);
const ReleaseDC = user32.func('__stdcall', 'ReleaseDC', 'int', ['void*', 'void*']);
const FillRect = user32.func('__stdcall', 'FillRect', 'int', ['void*', koffi.pointer(RECT), 'void*']);
const FindWindowW = user32.func('void * __stdcall FindWindowW(str16, str16)');
const FindWindowExW = user32.func('void * __stdcall FindWindowExW(void *, void *, str16, str16)');
const PostMessageW = user32.func('bool __stdcall PostMessageW(void *, uint32, uintptr, intptr)');
const SendMessageW = user32.func('intptr __stdcall SendMessageW(void *, uint32, uintptr, intptr)');
const CreateSolidBrush = gdi32.func('__stdcall', 'CreateSolidBrush', 'void*', ['uint32']);
const DeleteObject = gdi32.func('bool __stdcall DeleteObject(void *)');
const SelectObject = gdi32.func('void * __stdcall SelectObject(void *, void *)');
const CreateFontW = gdi32.func('void * __stdcall CreateFontW(int, int, int, int, int, uint32, uint32, uint32, uint32, uint32, uint32, uint32, uint32, str16)');
const SetBkColor = gdi32.func('uint32 __stdcall SetBkColor(void *, uint32)');
const SetTextColor = gdi32.func('uint32 __stdcall SetTextColor(void *, uint32)');
const TextOutW = gdi32.func('bool __stdcall TextOutW(void *, int, int, str16, int)');
const GetPixel = gdi32.func('__stdcall', 'GetPixel', 'uint32', ['void*', 'int', 'int']);
const WM_CHAR = 0x0102;
const WM_GETTEXTLENGTH = 0x000e;
const WM_CLOSE = 0x0010;
const EM_SETMODIFY = 0x00b9;

const width = Number(process.argv[2] ?? 1920);
const height = Number(process.argv[3] ?? 1080);
const status = process.argv[4];
const mode = process.argv[5] ?? 'block';
const background = CreateSolidBrush(0xa56e3a);
const done = { mode, paints: 0, typed: 0, enters: 0, notepadChars: 0 };
/** the first change is made: the screen feature's measured phase may begin (win-agent-child.ts) */
let started = false;
function go(): void {
  if (started || !status) return;
  started = true;
  writeFileSync(`${status}.go`, '');
}

/** Draws on the desktop DC; a read needs an answer from the X server, so wine sends the drawing now
 * (a process without a message loop otherwise keeps it in its X buffer until that fills). */
function paint(draw: (dc: unknown) => void): void {
  const dc = GetDC(null);
  draw(dc);
  GetPixel(dc, 0, 0);
  ReleaseDC(null, dc);
  done.paints++;
  go();
}

function notepadEdit(): unknown {
  const window = FindWindowW('Notepad', null);
  return window ? FindWindowExW(window, null, 'Edit', null) : null;
}

setInterval(() => {
  const text = status ? readFileSync(status, 'utf8') : '';
  if (!['baseline', 'done', 'failed'].some((phase) => text.includes(`"phase":"${phase}"`))) return;
  const edit = mode === 'typing' ? notepadEdit() : null;
  if (edit) {
    done.notepadChars = Number(SendMessageW(edit, WM_GETTEXTLENGTH, 0, 0));
    // Notepad closes without asking to save once its text counts as unchanged
    SendMessageW(edit, EM_SETMODIFY, 0, 0);
    PostMessageW(FindWindowW('Notepad', null), WM_CLOSE, 0, 0);
  }
  if (status) {
    // written beside and renamed: the bench reads the report as soon as its name exists, never half written
    writeFileSync(`${status}.painter.json.partial`, JSON.stringify(done));
    renameSync(`${status}.painter.json.partial`, `${status}.painter.json`);
  }
  process.exit(0);
}, 500);

let i = 0;
if (mode === 'block') {
  const block = CreateSolidBrush(0x2090f0);
  let last = { left: 0, top: 0, right: 0, bottom: 0 };
  setInterval(() => {
    const x = (i * 24) % (width - 400);
    const y = (i * 13) % (height - 300);
    paint((dc) => {
      FillRect(dc, last, background);
      last = { left: x, top: y, right: x + 400, bottom: y + 300 };
      FillRect(dc, last, block);
    });
    i++;
  }, 33);
} else if (mode === 'clock') {
  const font = CreateFontW(48, 0, 0, 0, 700, 0, 0, 0, 0, 0, 0, 0, 0, 'Arial');
  const tick = () =>
    paint((dc) => {
      const time = new Date().toTimeString().slice(0, 8);
      const old = SelectObject(dc, font);
      SetBkColor(dc, 0xffffff);
      SetTextColor(dc, 0x000000);
      TextOutW(dc, width - 320, 20, ` ${time} `, time.length + 2);
      SelectObject(dc, old);
    });
  tick();
  setInterval(tick, 1000);
} else if (mode === 'typing') {
  const sentence = 'the quick brown fox jumps over the lazy dog\r';
  setInterval(() => {
    const edit = notepadEdit();
    if (!edit) return;
    const char = sentence[i++ % sentence.length]!;
    PostMessageW(edit, WM_CHAR, char.charCodeAt(0), 1);
    done.typed++;
    if (char === '\r') done.enters++;
    go();
  }, 100);
} else if (mode === 'full') {
  const stripes = 64;
  const w = Math.ceil(width / stripes);
  setInterval(() => {
    paint((dc) => {
      for (let s = 0; s < stripes; s++) {
        const h = (s * 17 + i * 5) % 256;
        const brush = CreateSolidBrush(h | (((h * 3) % 256) << 8) | ((255 - h) << 16));
        const x = ((s * w + i * 7) % (width + w)) - w;
        FillRect(dc, { left: x, top: 0, right: x + w, bottom: height }, brush);
        DeleteObject(brush);
      }
    });
    i++;
  }, 33);
} else {
  process.exit(2);
}
