/* The fuzzers' random numbers: the same seed gives the same inputs (FUZZ_SEED reproduces a run). */

/** sfc32, seeded through splitmix32. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: number) {
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
  }
  u32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }
  int(max: number): number {
    return max <= 0 ? 0 : Math.floor((this.u32() / 2 ** 32) * max);
  }
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.u32() / 2 ** 32 < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  bytes(len: number): Uint8Array {
    const out = new Uint8Array(len);
    for (let i = 0; i < len; i += 4) {
      const x = this.u32();
      out[i] = x;
      if (i + 1 < len) out[i + 1] = x >>> 8;
      if (i + 2 < len) out[i + 2] = x >>> 16;
      if (i + 3 < len) out[i + 3] = x >>> 24;
    }
    return out;
  }
  /** small sizes often, large ones sometimes */
  size(max: number): number {
    const r = this.int(100);
    if (r < 60) return this.int(Math.min(max, 32) + 1);
    if (r < 90) return this.int(Math.min(max, 512) + 1);
    return this.int(max + 1);
  }
}
