/**
 * Runs in Windows Node under wine (bundled by capture-rpc.ts): opens the Windows screen capture of
 * the agent and answers the test's requests over a loopback WebSocket (the `ws` package, bundled:
 * Node 22's own WebSocket client fails its handshake under wine; stdout is no pipe through wine). One JSON request -> one JSON answer, by `id`.
 */
import WebSocket from 'ws';
import type { CapturedFrame, PlatformEnv, ScreenCapture } from '../../../packages/agent/src/platform/types.js';
import { openWindowsCapture } from '../../../packages/agent/src/platform/windows/capture.js';
import { gdiApi } from '../../../packages/agent/src/platform/windows/gdi-api.js';

interface Request {
  id: number;
  op: string;
  args?: Record<string, unknown>;
}

const env: PlatformEnv = process.env;
const api = gdiApi(env);
const k = api.koffi;
const user32 = k.load('user32.dll');
const gdi32 = k.load('gdi32.dll');
const RECT = k.struct({ left: 'int32', top: 'int32', right: 'int32', bottom: 'int32' });
const FillRect = user32.func('__stdcall', 'FillRect', 'int', ['void*', k.pointer(RECT), 'void*']);
const CreateSolidBrush = gdi32.func('__stdcall', 'CreateSolidBrush', 'void*', ['uint32']);
const SetCursorPos = user32.func('__stdcall', 'SetCursorPos', 'int', ['int', 'int']);
const GetSystemMetrics = user32.func('__stdcall', 'GetSystemMetrics', 'int', ['int']);

const captures: ScreenCapture[] = [];
let damage = 0;
let shapes = 0;

function frameJson(f: CapturedFrame | undefined): unknown {
  if (!f) return null;
  return { width: f.width, height: f.height, dirty: f.dirty ?? null, data: f.data.subarray(0, f.width * f.height * 4).toString('base64') };
}

const ops: Record<string, (a: Record<string, unknown>) => unknown> = {
  async open(a) {
    const c = await openWindowsCapture({ ...env, ...(a.env as PlatformEnv | undefined) });
    captures.push(c);
    if (captures.length === 1) {
      c.on('damage', () => damage++);
      c.on('cursor-shape', () => shapes++);
    }
    const info = c as ScreenCapture & { methodReason?: string };
    return { index: captures.length - 1, method: c.method, methodReason: info.methodReason, monitors: c.monitors, selected: c.selected.id, pointerEvents: c.pointerEvents };
  },
  counts: () => ({ damage, shapes }),
  grab: async (a) => frameJson(await captures[0]!.grab({ full: a.full === true })),
  select: (a) => captures[0]!.select(String(a.id)),
  pointer: () => captures[0]!.pointer(),
  async cursor() {
    const s = await captures[0]!.cursorShape();
    if (!s) return null;
    let opaque = 0;
    let clear = 0;
    for (let i = 3; i < s.rgba.length; i += 4) {
      if (s.rgba[i] === 255) opaque++;
      else if (s.rgba[i] === 0) clear++;
    }
    return { serial: s.serial, width: s.width, height: s.height, hotX: s.hotX, hotY: s.hotY, opaque, clear, systemSize: [GetSystemMetrics(13), GetSystemMetrics(14)] };
  },
  fill(a) {
    const dc = api.GetDC(null);
    const brush = CreateSolidBrush(Number(a.bgr));
    FillRect(dc, { left: a.x, top: a.y, right: Number(a.x) + Number(a.width), bottom: Number(a.y) + Number(a.height) }, brush);
    api.DeleteObject(brush);
    api.ReleaseDC(null, dc);
    return true;
  },
  setCursor: (a) => SetCursorPos(Number(a.x), Number(a.y)) !== 0,
  close() {
    for (const c of captures) c.close();
    setImmediate(() => process.exit(0));
    return true;
  },
};

const ws = new WebSocket(process.argv[2]!);
ws.on('message', (data) => {
  const req = JSON.parse(String(data)) as Request;
  Promise.resolve()
    .then(() => ops[req.op]!(req.args ?? {}))
    .then(
      (result) => ws.send(JSON.stringify({ id: req.id, result })),
      (err: unknown) => ws.send(JSON.stringify({ id: req.id, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) })),
    );
});
ws.on('close', () => process.exit(0));
