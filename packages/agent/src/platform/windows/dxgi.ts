import type { KoffiApi } from './koffi.js';

const IID_IDXGIDevice = '54ec77fa-1377-44e6-8c32-88fd5f44c84c';
const IID_IDXGIOutput1 = '00cddea8-939b-4b83-a340-a685226666cc';
const D3D_DRIVER_TYPE_HARDWARE = 1;
const D3D11_CREATE_DEVICE_BGRA_SUPPORT = 0x20;
const D3D11_SDK_VERSION = 7;
/** vtable slots: IUnknown 0-2, IDXGIObject 3-6, then each interface's own methods in header order */
const SLOT = { QueryInterface: 0, Release: 2, GetAdapter: 7, EnumOutputs: 7, DuplicateOutput: 22 } as const;

/** Well-known HRESULTs in words, for the log line that says why GDI is used. */
const HRESULTS: Record<number, string> = {
  0x80004001: 'E_NOTIMPL',
  0x80004002: 'E_NOINTERFACE',
  0x80070005: 'E_ACCESSDENIED',
  0x80070057: 'E_INVALIDARG',
  0x887a0001: 'DXGI_ERROR_INVALID_CALL',
  0x887a0002: 'DXGI_ERROR_NOT_FOUND',
  0x887a0004: 'DXGI_ERROR_UNSUPPORTED',
  0x887a0022: 'DXGI_ERROR_NOT_CURRENTLY_AVAILABLE',
  0x887a002b: 'DXGI_ERROR_SESSION_DISCONNECTED',
};

export function hresultName(hr: number): string {
  const u = hr >>> 0;
  return HRESULTS[u] ?? `0x${u.toString(16).padStart(8, '0')}`;
}

/** A GUID's 16 bytes in memory order (Data1-3 little-endian, Data4 as written). */
export function guidBytes(text: string): Buffer {
  const hex = text.replaceAll('-', '');
  const b = Buffer.from(hex, 'hex');
  b.writeUInt32LE(b.readUInt32BE(0), 0);
  b.writeUInt16LE(b.readUInt16BE(4), 4);
  b.writeUInt16LE(b.readUInt16BE(6), 6);
  return b;
}

/**
 * Tries DXGI Desktop Duplication as far as IDXGIOutput1::DuplicateOutput on the first output:
 * D3D11CreateDevice -> IDXGIDevice -> GetAdapter -> EnumOutputs(0) -> IDXGIOutput1 -> DuplicateOutput.
 * COM through koffi: each method is read from the object's vtable and called with koffi.call.
 * Everything made is released again. Returns the plain-words reason GDI captures instead: under
 * wine "DuplicateOutput failed: E_NOTIMPL" or "no D3D11 device"; on a Windows where the call
 * succeeds, that the frame path of Desktop Duplication is not built (docs/agent.md).
 */
export function probeDuplication(k: KoffiApi): string {
  const held: unknown[] = [];
  const release = k.proto('__stdcall', undefined, 'uint32', ['void*']);
  const method = (obj: unknown, slot: number, proto: ReturnType<KoffiApi['proto']>) => {
    const vtable = k.decode(obj, 'void*') as unknown;
    const fn = k.decode(vtable, slot * 8, 'void*') as unknown;
    return (...args: unknown[]) => k.call(fn, proto, obj, ...args) as number;
  };
  const out = () => [null] as unknown[];
  try {
    let d3d11;
    try {
      d3d11 = k.load('d3d11.dll');
    } catch {
      return 'no D3D11 device: d3d11.dll does not load';
    }
    const create = d3d11.func('__stdcall', 'D3D11CreateDevice', 'int32', ['void*', 'int', 'void*', 'uint32', 'void*', 'uint32', 'uint32', k.out(k.pointer('void*')), 'void*', k.out(k.pointer('void*'))]);
    const device = out();
    const context = out();
    let hr = create(null, D3D_DRIVER_TYPE_HARDWARE, null, D3D11_CREATE_DEVICE_BGRA_SUPPORT, null, 0, D3D11_SDK_VERSION, device, null, context) as number;
    if (hr < 0 || !device[0]) return `no D3D11 device: D3D11CreateDevice failed: ${hresultName(hr)}`;
    held.push(device[0], context[0]);
    const getter = k.proto('__stdcall', undefined, 'int32', ['void*', 'void*', k.out(k.pointer('void*'))]);
    const dxgiDevice = out();
    hr = method(device[0], SLOT.QueryInterface, getter)(guidBytes(IID_IDXGIDevice), dxgiDevice);
    if (hr < 0) return `no DXGI device: QueryInterface(IDXGIDevice) failed: ${hresultName(hr)}`;
    held.push(dxgiDevice[0]);
    const one = k.proto('__stdcall', undefined, 'int32', ['void*', k.out(k.pointer('void*'))]);
    const adapter = out();
    hr = method(dxgiDevice[0], SLOT.GetAdapter, one)(adapter);
    if (hr < 0) return `no DXGI adapter: GetAdapter failed: ${hresultName(hr)}`;
    held.push(adapter[0]);
    const enumOutputs = k.proto('__stdcall', undefined, 'int32', ['void*', 'uint32', k.out(k.pointer('void*'))]);
    const output = out();
    hr = method(adapter[0], SLOT.EnumOutputs, enumOutputs)(0, output);
    if (hr < 0) return `no DXGI output: EnumOutputs failed: ${hresultName(hr)}`;
    held.push(output[0]);
    const output1 = out();
    hr = method(output[0], SLOT.QueryInterface, getter)(guidBytes(IID_IDXGIOutput1), output1);
    if (hr < 0) return `no IDXGIOutput1 (Windows before 8): ${hresultName(hr)}`;
    held.push(output1[0]);
    const duplicate = k.proto('__stdcall', undefined, 'int32', ['void*', 'void*', k.out(k.pointer('void*'))]);
    const duplication = out();
    hr = method(output1[0], SLOT.DuplicateOutput, duplicate)(device[0], duplication);
    if (hr < 0) return `DuplicateOutput failed: ${hresultName(hr)}`;
    held.push(duplication[0]);
    return 'Desktop Duplication is available, but its frame path is not built yet: GDI captures';
  } catch (err) {
    return `Desktop Duplication could not be tried: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    for (const obj of held.reverse()) if (obj) method(obj, SLOT.Release, release)();
  }
}
