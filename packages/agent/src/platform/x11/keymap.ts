import { Keysym, NoSymbol, codepointForKeysym } from '../keysyms.js';

export { Keysym, NoSymbol, codepointForKeysym, keysymForCodepoint, modifierKeysyms, namedKeysym, printable } from '../keysyms.js';

export interface KeyStroke {
  keycode: number;
  shift: boolean;
  level3: boolean;
}

/**
 * The core keyboard mapping columns we use, with the modifiers each needs. With XKB the core mapping
 * of group 1 is columns 0,1 (level 1, 2) and 4,5 (level 3, 4); columns 2,3 belong to group 2, which
 * needs a group switch: those characters are typed through a temporarily remapped key instead.
 */
const COLUMNS: ReadonlyArray<{ column: number; shift: boolean; level3: boolean }> = [
  { column: 0, shift: false, level3: false },
  { column: 1, shift: true, level3: false },
  { column: 4, shift: false, level3: true },
  { column: 5, shift: true, level3: true },
];

const SHIFT_MOD = 0;

/**
 * A snapshot of the customer's keyboard mapping (GetKeyboardMapping + GetModifierMapping), answering
 * "which keycode and modifiers type this character" and "which keycode is that key". Pure, so it is
 * tested with hand-made German and US mappings; the injector builds a new one after every MappingNotify.
 */
export class KeyboardMap {
  private readonly byCodepoint = new Map<number, KeyStroke>();
  /** keycodes that have no keysym at all: free for a temporary remap */
  readonly spare: number[] = [];
  readonly shiftKeycodes: ReadonlySet<number>;
  /** keycodes that select the third level (ISO_Level3_Shift), empty on a plain US layout */
  readonly level3Keycodes: ReadonlySet<number>;

  constructor(
    readonly minKeycode: number,
    /** rows[keycode - minKeycode] = keysyms of that keycode */
    private readonly rows: readonly (readonly number[])[],
    /** modifiers[0..7] = keycodes of Shift, Lock, Control, Mod1..Mod5 */
    modifiers: readonly (readonly number[])[],
  ) {
    this.shiftKeycodes = new Set(modifiers[SHIFT_MOD] ?? []);
    this.level3Keycodes = new Set(this.keycodesOf(Keysym.ISOLevel3Shift, 0));
    const canLevel3 = this.level3Keycodes.size > 0;
    rows.forEach((row, i) => {
      const keycode = minKeycode + i;
      if (row.every((ks) => ks === NoSymbol)) {
        this.spare.push(keycode);
        return;
      }
      for (const c of COLUMNS) {
        if (c.level3 && !canLevel3) continue;
        const ks = this.effective(row, c.column);
        const cp = ks === undefined ? undefined : codepointForKeysym(ks);
        if (cp === undefined) continue;
        const have = this.byCodepoint.get(cp);
        if (!have || cost(c) < cost(have)) this.byCodepoint.set(cp, { keycode, shift: c.shift, level3: c.level3 });
      }
    });
    this.spare.reverse(); // the highest keycodes first: the least likely to be wanted by anyone else
  }

  get maxKeycode(): number {
    return this.minKeycode + this.rows.length - 1;
  }

  /** How to type the character with this code point, or undefined when no key types it. */
  strokeFor(codepoint: number): KeyStroke | undefined {
    return this.byCodepoint.get(codepoint);
  }

  /** Keycodes whose column `column` (or, with column undefined, any column) holds `keysym`; level 1 first. */
  keycodesOf(keysym: number, column?: number): number[] {
    const out: number[] = [];
    for (const cols of column === undefined ? [[0], [1, 2, 3, 4, 5, 6, 7]] : [[column]]) {
      this.rows.forEach((row, i) => {
        if (cols.some((c) => row[c] === keysym) && !out.includes(this.minKeycode + i)) out.push(this.minKeycode + i);
      });
    }
    return out;
  }

  /** The first keycode for the first keysym in `candidates` that the mapping has. */
  keycodeFor(candidates: readonly number[]): number | undefined {
    for (const ks of candidates) {
      const found = this.keycodesOf(ks)[0];
      if (found !== undefined) return found;
    }
    return undefined;
  }

  keysymsOf(keycode: number): readonly number[] {
    return this.rows[keycode - this.minKeycode] ?? [];
  }

  /** The keysym in a column, with the core protocol's rule that an empty level 2 repeats level 1. */
  private effective(row: readonly number[], column: number): number | undefined {
    const ks = row[column] ?? NoSymbol;
    if (ks !== NoSymbol) return ks;
    if (column === 1 && (row[0] ?? NoSymbol) !== NoSymbol && !isCased(row[0]!)) return row[0];
    return undefined;
  }
}

const cost = (s: { shift: boolean; level3: boolean }) => (s.shift ? 1 : 0) + (s.level3 ? 2 : 0);

/** Latin letters, whose level 2 is the upper case even when the mapping leaves it empty. */
function isCased(ks: number): boolean {
  const cp = codepointForKeysym(ks);
  if (cp === undefined) return false;
  const c = String.fromCodePoint(cp);
  return c.toLowerCase() !== c.toUpperCase();
}
