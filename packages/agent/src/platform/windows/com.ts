import type { KoffiApi } from './koffi.js';
import type { KoffiFunction } from './gdi-api.js';

type Proto = ReturnType<KoffiApi['proto']>;

/**
 * COM through koffi: an interface pointer's first word is its vtable, and a method is the function
 * pointer in its slot, called with the object as first argument (`this`). `method()` decodes the
 * slot into a koffi function, which also has `.async` (the call runs on koffi's worker thread).
 * Slots count from IUnknown's QueryInterface (0), AddRef (1), Release (2), then each base
 * interface's methods in header order.
 */
export class Com {
  private readonly protos = new Map<string, Proto>();

  constructor(readonly k: KoffiApi) {}

  /** A __stdcall prototype returning `result` with `this` first, cached by its text (plain type names only: out-values go through Buffers). */
  proto(result: string, args: string[]): Proto {
    const key = `${result}(${args.join(',')})`;
    let p = this.protos.get(key);
    if (!p) {
      p = this.k.proto('__stdcall', undefined, result, ['void*', ...args]);
      this.protos.set(key, p);
    }
    return p;
  }

  method(obj: unknown, slot: number, proto: Proto): KoffiFunction {
    const vtable = this.k.decode(obj, 'void*') as unknown;
    // the slot holds the function's address; decoding that address with the prototype gives a callable
    const fn = this.k.decode(vtable, slot * 8, 'void*') as unknown;
    return this.k.decode(fn, proto) as KoffiFunction;
  }

  /** A method that fills one interface pointer (`HRESULT M(this, ..., void** out)`): the HRESULT and the pointer. */
  out(obj: unknown, slot: number, args: unknown[], types: string[] = []): { hr: number; value: unknown } {
    const cell = Buffer.alloc(8);
    const hr = this.method(obj, slot, this.proto('int32', [...types, 'void*']))(obj, ...args, cell) as number;
    return { hr, value: this.pointerIn(cell) };
  }

  /** The pointer a method wrote into `cell` (8 bytes), null when none. */
  pointerIn(cell: Buffer): unknown {
    return cell.readBigUInt64LE(0) === 0n ? null : (this.k.decode(cell, 'void*') as unknown);
  }

  query(obj: unknown, iid: Buffer): { hr: number; value: unknown } {
    return this.out(obj, 0, [iid], ['void*']);
  }

  release(obj: unknown): void {
    if (obj) this.method(obj, 2, this.proto('uint32', []))(obj);
  }
}

/** A GUID's 16 bytes in memory order (Data1-3 little-endian, Data4 as written). */
export function guidBytes(text: string): Buffer {
  const b = Buffer.from(text.replaceAll('-', ''), 'hex');
  b.writeUInt32LE(b.readUInt32BE(0), 0);
  b.writeUInt16LE(b.readUInt16BE(4), 4);
  b.writeUInt16LE(b.readUInt16BE(6), 6);
  return b;
}

/** Well-known HRESULTs in words, for the log line that says why GDI is used. */
const HRESULTS: Record<number, string> = {
  0x80004001: 'E_NOTIMPL',
  0x80004002: 'E_NOINTERFACE',
  0x80004005: 'E_FAIL',
  0x80070005: 'E_ACCESSDENIED',
  0x80070057: 'E_INVALIDARG',
  0x887a0001: 'DXGI_ERROR_INVALID_CALL',
  0x887a0002: 'DXGI_ERROR_NOT_FOUND',
  0x887a0004: 'DXGI_ERROR_UNSUPPORTED',
  0x887a0022: 'DXGI_ERROR_NOT_CURRENTLY_AVAILABLE',
  0x887a0026: 'DXGI_ERROR_ACCESS_LOST',
  0x887a0027: 'DXGI_ERROR_WAIT_TIMEOUT',
  0x887a002b: 'DXGI_ERROR_SESSION_DISCONNECTED',
};

export function hresultName(hr: number): string {
  const u = hr >>> 0;
  return HRESULTS[u] ?? `0x${u.toString(16).padStart(8, '0')}`;
}
