import { request, words } from './bytes.js';
import type { XConnection, XExtension } from './connection.js';
import { getAtomName } from './core.js';

/**
 * RANDR (1.5 for monitors). Minor opcodes:
 *   0 QueryVersion: u32 major | u32 minor -> reply u32 major @8 | u32 minor @12
 *   4 SelectInput: u32 window | u16 enable | 2 pad (1 = ScreenChangeNotify, 2 = CrtcChange, 4 = OutputChange)
 *  42 GetMonitors: u32 window | u8 get-active | 3 pad
 *     -> reply u32 timestamp @8 | u32 nmonitors @12 | u32 noutputs @16 | 12 pad | MONITORINFO… from @32
 *     MONITORINFO: u32 name (atom) | u8 primary | u8 automatic | u16 noutput | i16 x | i16 y | u16 w | u16 h
 *                  | u32 width-mm | u32 height-mm | noutput * u32 output
 * Events: first-event + 0 = ScreenChangeNotify, + 1 = RRNotify (crtc/output changes).
 */
const MINOR = { queryVersion: 0, selectInput: 4, getMonitors: 42 } as const;
const SELECT = 1 | 2 | 4;

export interface XMonitor {
  name: string;
  primary: boolean;
  x: number;
  y: number;
  width: number;
  height: number;
}

export class XRandr {
  private constructor(
    private readonly x: XConnection,
    readonly ext: XExtension,
  ) {}

  /** Undefined without RANDR 1.5 (then the whole screen is one monitor). */
  static async open(x: XConnection): Promise<XRandr | undefined> {
    const ext = await x.extension('RANDR');
    if (!ext) return undefined;
    const v = await x.call(request(ext.majorOpcode, MINOR.queryVersion, words(1, 5)));
    const [major, minor] = [v.readUInt32LE(8), v.readUInt32LE(12)];
    if (major < 1 || (major === 1 && minor < 5)) return undefined;
    return new XRandr(x, ext);
  }

  selectInput(window: number): void {
    this.x.send(request(this.ext.majorOpcode, MINOR.selectInput, words(window, SELECT)));
  }

  isChange(event: Buffer): boolean {
    const code = event[0]! & 0x7f;
    return code === this.ext.firstEvent || code === this.ext.firstEvent + 1;
  }

  async getMonitors(window: number): Promise<XMonitor[]> {
    const r = await this.x.call(request(this.ext.majorOpcode, MINOR.getMonitors, words(window, 1)));
    const count = r.readUInt32LE(12);
    const raw: Array<XMonitor & { atom: number }> = [];
    let at = 32;
    for (let i = 0; i < count && at + 24 <= r.length; i++) {
      const outputs = r.readUInt16LE(at + 6);
      raw.push({ atom: r.readUInt32LE(at), name: '', primary: r[at + 4] === 1, x: r.readInt16LE(at + 8), y: r.readInt16LE(at + 10), width: r.readUInt16LE(at + 12), height: r.readUInt16LE(at + 14) });
      at += 24 + 4 * outputs;
    }
    for (const m of raw) m.name = m.atom ? await getAtomName(this.x, m.atom).catch(() => '') : '';
    return raw.map(({ atom: _atom, ...m }) => m);
  }
}
