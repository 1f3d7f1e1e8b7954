/**
 * Motion on the wine desktop for `bench:agent --platform win-x64`: a 400x300 block moving across
 * the desktop 30 times a second, painted with GDI FillRect on the desktop DC (its old place
 * painted over with the background). Runs in the Windows Node (bundled by win-bench.ts):
 * `node.exe win-painter.mjs WIDTH HEIGHT STATUS_FILE`; it ends once the capture's status file says
 * the motion phase is over (a killed launcher would leave the Windows process running under wine).
 */
import { readFileSync } from 'node:fs';
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
const CreateSolidBrush = gdi32.func('__stdcall', 'CreateSolidBrush', 'void*', ['uint32']);
const GetPixel = gdi32.func('__stdcall', 'GetPixel', 'uint32', ['void*', 'int', 'int']);
const width = Number(process.argv[2] ?? 1920);
const height = Number(process.argv[3] ?? 1080);
const background = CreateSolidBrush(0xa56e3a);
const block = CreateSolidBrush(0x2090f0);
const status = process.argv[4];
setInterval(() => {
  const text = status ? readFileSync(status, 'utf8') : '';
  if (['baseline', 'done', 'failed'].some((phase) => text.includes(`"phase":"${phase}"`))) process.exit(0);
}, 500);
let i = 0;
let last = { left: 0, top: 0, right: 0, bottom: 0 };
setInterval(() => {
  const dc = GetDC(null);
  const x = (i * 24) % (width - 400);
  const y = (i * 13) % (height - 300);
  FillRect(dc, last, background);
  last = { left: x, top: y, right: x + 400, bottom: y + 300 };
  FillRect(dc, last, block);
  // a read needs an answer from the X server, so wine sends the drawing now (a process without a
  // message loop otherwise keeps it in its X buffer until that fills)
  GetPixel(dc, last.left, last.top);
  ReleaseDC(null, dc);
  i++;
}, 33);
