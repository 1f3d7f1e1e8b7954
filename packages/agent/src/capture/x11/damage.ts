import { request, words } from './bytes.js';
import type { XConnection, XExtension } from './connection.js';

/**
 * DAMAGE (version 1.1). Minor opcodes:
 *   0 QueryVersion: u32 client-major | u32 client-minor -> reply u32 major @8 | u32 minor @12
 *   1 Create: u32 damage | u32 drawable | u8 level | 3 pad
 *   2 Destroy: u32 damage
 *   3 Subtract: u32 damage | u32 repair (region or None) | u32 parts (region or None)
 * Event first-event + 0 = DamageNotify: u8 level @1 | u32 drawable @4 | u32 damage @8 | u32 time @12
 *   | area @16 (i16 x, i16 y, u16 w, u16 h) | geometry @24.
 * With level NonEmpty the server sends one DamageNotify when the damage region becomes non-empty;
 * Subtract(damage, None, parts) empties it and copies what was damaged into `parts`: the next change
 * then notifies again. An unchanged screen therefore costs no events and no work at all.
 */
const MINOR = { queryVersion: 0, create: 1, destroy: 2, subtract: 3 } as const;
const LEVEL_NON_EMPTY = 3;

export class XDamage {
  private constructor(
    private readonly x: XConnection,
    readonly ext: XExtension,
  ) {}

  /** XFIXES must have been version-negotiated first (the DAMAGE spec requires it; XFixes.open does). */
  static async open(x: XConnection): Promise<XDamage | undefined> {
    const ext = await x.extension('DAMAGE');
    if (!ext) return undefined;
    await x.call(request(ext.majorOpcode, MINOR.queryVersion, words(1, 1)));
    return new XDamage(x, ext);
  }

  createNonEmpty(drawable: number): number {
    const id = this.x.newId();
    this.x.send(request(this.ext.majorOpcode, MINOR.create, words(id, drawable, LEVEL_NON_EMPTY)));
    return id;
  }

  isNotify(event: Buffer): boolean {
    return (event[0]! & 0x7f) === this.ext.firstEvent;
  }

  /** Empties `damage`, putting what it held into region `parts`. */
  subtract(damage: number, parts: number): void {
    this.x.send(request(this.ext.majorOpcode, MINOR.subtract, words(damage, 0, parts)));
  }

  destroy(damage: number): void {
    if (this.x.isOpen) this.x.send(request(this.ext.majorOpcode, MINOR.destroy, words(damage)));
  }
}
