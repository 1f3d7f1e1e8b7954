import { CaptureError } from '../errors.js';
import type { Rect } from '../types.js';
import { Com, guidBytes, hresultName } from './com.js';
import type { KoffiApi } from './koffi.js';

const IID_IDXGIDevice = guidBytes('54ec77fa-1377-44e6-8c32-88fd5f44c84c');
const IID_IDXGIOutput1 = guidBytes('00cddea8-939b-4b83-a340-a685226666cc');
const IID_ID3D11Texture2D = guidBytes('6f15aaf2-d208-4e89-9ab4-489535d34f9c');
const D3D_DRIVER_TYPE_HARDWARE = 1;
const D3D11_CREATE_DEVICE_BGRA_SUPPORT = 0x20;
const D3D11_SDK_VERSION = 7;
const D3D11_USAGE_STAGING = 3;
const D3D11_CPU_ACCESS_READ = 0x20000;
const D3D11_MAP_READ = 1;
const WAIT_TIMEOUT = 0x887a0027;
const ACCESS_LOST = 0x887a0026;
/** AcquireNextFrame waits at most this long, so a monitor switch or close is seen soon (an idle wake-up 4 times a second) */
const ACQUIRE_MS = 250;

/** vtable slots (IUnknown 0-2; IDXGIObject 3-6; ID3D11DeviceChild 3-6), each interface's own methods after its bases' */
const SLOT = {
  deviceCreateTexture2D: 5,
  contextMap: 14,
  contextUnmap: 15,
  contextCopyResource: 47,
  dxgiDeviceGetAdapter: 7,
  adapterEnumOutputs: 7,
  outputGetDesc: 7,
  output1DuplicateOutput: 22,
  duplAcquireNextFrame: 8,
  duplGetFrameDirtyRects: 9,
  duplGetFrameMoveRects: 10,
  duplReleaseFrame: 14,
  textureGetDesc: 10,
} as const;

/** Why Desktop Duplication cannot serve, in plain words (the capture logs it and uses GDI). */
export class DuplicationUnavailable {
  constructor(readonly reason: string) {}
}

/**
 * DXGI Desktop Duplication of one output (monitor), driven through koffi (com.ts):
 * D3D11CreateDevice -> IDXGIDevice -> adapter -> the output named like the monitor (EnumOutputs +
 * GetDesc) -> IDXGIOutput1::DuplicateOutput. `run()` loops on AcquireNextFrame on koffi's worker
 * thread, which returns only when the desktop changed (or after ACQUIRE_MS): an idle screen costs
 * nothing. Each new frame: the texture is copied (CopyResource) into a CPU-readable staging
 * texture, mapped, and the rectangles GetFrameDirtyRects / GetFrameMoveRects name are copied into
 * `pixels` (the whole frame when they cannot be read). DXGI_ERROR_ACCESS_LOST (mode change, UAC's
 * secure desktop, a full-screen program) re-creates the duplication. The pointer is not in the
 * pictures: a frame with a pointer update calls `onPointer`.
 *
 * Not exercised by the tests here: wine's DuplicateOutput returns E_NOTIMPL (docs/agent.md).
 */
export class DxgiSource {
  readonly method = 'dxgi';
  private pixels: Buffer;
  private staging: unknown;
  private dupl: unknown;
  private closed = false;
  /** the next picture is copied whole (the first of the duplication: its rectangles need not cover everything) */
  private whole = true;
  private running: Promise<void> | undefined;

  private constructor(
    private readonly com: Com,
    private readonly device: unknown,
    private readonly context: unknown,
    private readonly output1: unknown,
    readonly bounds: Rect,
    private readonly held: unknown[],
  ) {
    this.pixels = Buffer.alloc(bounds.width * bounds.height * 4);
  }

  /** Desktop Duplication of the output whose device name is `deviceName` (`\\.\DISPLAY1`), or why not. */
  static open(k: KoffiApi, deviceName: string): DxgiSource | DuplicationUnavailable {
    const com = new Com(k);
    const held: unknown[] = [];
    const fail = (reason: string) => {
      for (const o of held.reverse()) com.release(o);
      return new DuplicationUnavailable(reason);
    };
    try {
      let d3d11;
      try {
        d3d11 = k.load('d3d11.dll');
      } catch {
        return fail('no D3D11 device: d3d11.dll does not load');
      }
      const create = d3d11.func('__stdcall', 'D3D11CreateDevice', 'int32', ['void*', 'int', 'void*', 'uint32', 'void*', 'uint32', 'uint32', k.out(k.pointer('void*')), 'void*', k.out(k.pointer('void*'))]);
      const device: unknown[] = [null];
      const context: unknown[] = [null];
      const hr = create(null, D3D_DRIVER_TYPE_HARDWARE, null, D3D11_CREATE_DEVICE_BGRA_SUPPORT, null, 0, D3D11_SDK_VERSION, device, null, context) as number;
      if (hr < 0 || !device[0]) return fail(`no D3D11 device: D3D11CreateDevice failed: ${hresultName(hr)}`);
      held.push(device[0], context[0]);
      const dxgiDevice = com.query(device[0], IID_IDXGIDevice);
      if (dxgiDevice.hr < 0) return fail(`no DXGI device: ${hresultName(dxgiDevice.hr)}`);
      held.push(dxgiDevice.value);
      const adapter = com.out(dxgiDevice.value, SLOT.dxgiDeviceGetAdapter, []);
      if (adapter.hr < 0) return fail(`no DXGI adapter: ${hresultName(adapter.hr)}`);
      held.push(adapter.value);
      const found = findOutput(com, adapter.value, deviceName);
      if (typeof found === 'string') return fail(found);
      held.push(found.output);
      const output1 = com.query(found.output, IID_IDXGIOutput1);
      if (output1.hr < 0) return fail(`no IDXGIOutput1 (Windows before 8): ${hresultName(output1.hr)}`);
      held.push(output1.value);
      const source = new DxgiSource(com, device[0], context[0], output1.value, found.bounds, held);
      const why = source.duplicate();
      if (why) return fail(why);
      return source;
    } catch (err) {
      return fail(`Desktop Duplication could not be tried: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /**
   * Loops on AcquireNextFrame until close(); `onChange` after a new picture, `onPointer` after a
   * pointer update, `onFail` with the reason when a step fails for good (the capture turns to GDI).
   */
  run(onChange: () => void, onPointer: () => void, onFail: (reason: string) => void): void {
    this.running ??= this.loop(onChange, onPointer).catch((err: unknown) => {
      if (!this.closed) onFail(`Desktop Duplication failed: ${err instanceof Error ? err.message : String(err)}`);
    });
  }

  /** The latest desktop picture of `area` (a part of this output, in desktop pixels), BGRX rows. */
  grab(area: Rect): Buffer {
    const b = this.bounds;
    if (area.x === b.x && area.y === b.y && area.width === b.width && area.height === b.height) return this.pixels;
    const out = Buffer.alloc(area.width * area.height * 4);
    for (let y = 0; y < area.height; y++) {
      const from = ((area.y - b.y + y) * b.width + (area.x - b.x)) * 4;
      this.pixels.copy(out, y * area.width * 4, from, from + area.width * 4);
    }
    return out;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    void (this.running ?? Promise.resolve()).finally(() => {
      this.com.release(this.staging);
      this.com.release(this.dupl);
      for (const o of this.held.reverse()) this.com.release(o);
    });
  }

  /** DuplicateOutput; the reason when it fails. */
  private duplicate(): string | undefined {
    const d = this.com.out(this.output1, SLOT.output1DuplicateOutput, [this.device], ['void*']);
    if (d.hr < 0) return `DuplicateOutput failed: ${hresultName(d.hr)}`;
    this.dupl = d.value;
    return undefined;
  }

  private async loop(onChange: () => void, onPointer: () => void): Promise<void> {
    const info = Buffer.alloc(48); // DXGI_OUTDUPL_FRAME_INFO
    while (!this.closed) {
      const cell = Buffer.alloc(8);
      const acquire = this.com.method(this.dupl, SLOT.duplAcquireNextFrame, this.com.proto('int32', ['uint32', 'void*', 'void*']));
      const hr = await new Promise<number>((resolve, reject) => acquire.async(this.dupl, ACQUIRE_MS, info, cell, (err: unknown, r: number) => (err ? reject(err) : resolve(r))));
      const resource = this.com.pointerIn(cell);
      if (hr >>> 0 === WAIT_TIMEOUT) continue;
      // lost (mode change, UAC's secure desktop, a full-screen program): the capture opens a new duplication, sized anew
      if (hr >>> 0 === ACCESS_LOST) throw CaptureError.refused('the duplication was lost (DXGI_ERROR_ACCESS_LOST)');
      if (hr < 0) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      let rects: Rect[] | undefined | false = false;
      try {
        if (info.readBigInt64LE(8) !== 0n) onPointer(); // LastMouseUpdateTime
        if (info.readBigInt64LE(0) !== 0n) rects = this.copyFrame(resource); // LastPresentTime: a new picture
      } finally {
        this.com.release(resource);
        this.com.method(this.dupl, SLOT.duplReleaseFrame, this.com.proto('int32', []))(this.dupl);
      }
      if (rects !== false) {
        this.readStaging(this.whole ? undefined : rects);
        this.whole = false;
        onChange();
      }
    }
  }

  /** CopyResource of the frame into the staging texture; the changed rectangles (undefined: everything; false: no picture). */
  private copyFrame(resource: unknown): Rect[] | undefined | false {
    const tex = this.com.query(resource, IID_ID3D11Texture2D);
    if (tex.hr < 0) return false;
    try {
      if (!this.staging) this.staging = this.createStaging(tex.value);
      this.com.method(this.context, SLOT.contextCopyResource, this.com.proto('void', ['void*', 'void*']))(this.context, this.staging, tex.value);
    } finally {
      this.com.release(tex.value);
    }
    return this.frameRects();
  }

  private createStaging(texture: unknown): unknown {
    const desc = Buffer.alloc(44); // D3D11_TEXTURE2D_DESC
    this.com.method(texture, SLOT.textureGetDesc, this.com.proto('void', ['void*']))(texture, desc);
    desc.writeUInt32LE(1, 8); // MipLevels
    desc.writeUInt32LE(1, 12); // ArraySize
    desc.writeUInt32LE(1, 20); // SampleDesc.Count
    desc.writeUInt32LE(0, 24); // SampleDesc.Quality
    desc.writeUInt32LE(D3D11_USAGE_STAGING, 28);
    desc.writeUInt32LE(0, 32); // BindFlags
    desc.writeUInt32LE(D3D11_CPU_ACCESS_READ, 36);
    desc.writeUInt32LE(0, 40); // MiscFlags
    const t = this.com.out(this.device, SLOT.deviceCreateTexture2D, [desc, null], ['void*', 'void*']);
    if (t.hr < 0) throw CaptureError.refused(`CreateTexture2D (staging) failed: ${hresultName(t.hr)}`);
    return t.value;
  }

  /** The dirty rectangles and the destinations of the move rectangles of the frame held now; undefined when they cannot be read. */
  private frameRects(): Rect[] | undefined {
    const read = (slot: number, size: number, toRect: (b: Buffer, at: number) => Rect): Rect[] | undefined => {
      const buf = Buffer.alloc(size * 64);
      const needed = Buffer.alloc(4);
      const fn = this.com.method(this.dupl, slot, this.com.proto('int32', ['uint32', 'void*', 'void*']));
      if ((fn(this.dupl, buf.length, buf, needed) as number) < 0) return undefined; // more than 64: everything
      const out: Rect[] = [];
      for (let at = 0; at + size <= needed.readUInt32LE(0); at += size) out.push(toRect(buf, at));
      return out;
    };
    const ltrb = (b: Buffer, at: number): Rect => ({ x: b.readInt32LE(at), y: b.readInt32LE(at + 4), width: b.readInt32LE(at + 8) - b.readInt32LE(at), height: b.readInt32LE(at + 12) - b.readInt32LE(at + 4) });
    const moved = read(SLOT.duplGetFrameMoveRects, 24, (b, at) => ltrb(b, at + 8));
    const dirty = read(SLOT.duplGetFrameDirtyRects, 16, ltrb);
    return moved && dirty ? [...moved, ...dirty] : undefined;
  }

  /** Map the staging texture and copy `rects` (all of it when undefined) into `pixels`, row pitch aware. */
  private readStaging(rects: Rect[] | undefined): void {
    const k = this.com.k;
    const mapped = Buffer.alloc(16); // D3D11_MAPPED_SUBRESOURCE
    const hr = this.com.method(this.context, SLOT.contextMap, this.com.proto('int32', ['void*', 'uint32', 'uint32', 'uint32', 'void*']))(this.context, this.staging, 0, D3D11_MAP_READ, 0, mapped) as number;
    if (hr < 0) return;
    try {
      const { width, height } = this.bounds;
      const pitch = mapped.readUInt32LE(8);
      const src = Buffer.from(k.view(k.decode(mapped, 'void*'), pitch * height));
      for (const r of rects ?? [{ x: 0, y: 0, width, height }]) {
        const x0 = Math.max(0, r.x);
        const x1 = Math.min(width, r.x + r.width);
        for (let y = Math.max(0, r.y); y < Math.min(height, r.y + r.height); y++) src.copy(this.pixels, (y * width + x0) * 4, y * pitch + x0 * 4, y * pitch + x1 * 4);
      }
    } finally {
      this.com.method(this.context, SLOT.contextUnmap, this.com.proto('void', ['void*', 'uint32']))(this.context, this.staging, 0);
    }
  }
}

/** The adapter's output named `deviceName` (DXGI_OUTPUT_DESC.DeviceName) and its desktop rectangle, or why none. */
function findOutput(com: Com, adapter: unknown, deviceName: string): { output: unknown; bounds: Rect } | string {
  const names: string[] = [];
  for (let i = 0; ; i++) {
    const o = com.out(adapter, SLOT.adapterEnumOutputs, [i], ['uint32']);
    if (o.hr < 0) break;
    const desc = Buffer.alloc(96); // DXGI_OUTPUT_DESC
    com.method(o.value, SLOT.outputGetDesc, com.proto('int32', ['void*']))(o.value, desc);
    const name = desc.toString('utf16le', 0, 64).replace(/\0.*$/s, '');
    const rotation = desc.readUInt32LE(84);
    if (name === deviceName || (deviceName === 'screen' && i === 0)) {
      if (rotation > 1) {
        com.release(o.value);
        return `the monitor is rotated (DXGI rotation ${rotation}): GDI captures it upright`;
      }
      const [l, t, r, b] = [0, 4, 8, 12].map((at) => desc.readInt32LE(64 + at)) as [number, number, number, number];
      return { output: o.value, bounds: { x: l, y: t, width: r - l, height: b - t } };
    }
    names.push(name);
    com.release(o.value);
  }
  return names.length === 0 ? 'no DXGI output on the D3D11 adapter' : `${deviceName} is not an output of the D3D11 adapter (${names.join(', ')})`;
}
