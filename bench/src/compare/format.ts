import type { Spread } from './cells.js';

/** How the comparison's figures are printed. */
export const fmt = {
  ms: (v: number) => (Number.isFinite(v) ? `${v.toFixed(v < 10 ? 1 : 0)} ms` : 'n/a'),
  fps: (v: number) => (Number.isFinite(v) ? v.toFixed(1) : 'n/a'),
  kbs: (v: number) => (Number.isFinite(v) ? `${(v / 1000).toFixed(v < 10_000 ? 2 : 0)} kB/s` : 'n/a'),
  pct: (v: number) => (Number.isFinite(v) ? `${v.toFixed(1)} %` : 'n/a'),
  db: (v: number) => (Number.isFinite(v) ? `${v.toFixed(1)} dB` : 'n/a'),
};

/** "61 ms [55–70]": the median and the min–max of the runs (no brackets for one run) */
export function withSpread(s: Spread, show: (v: number) => string, runs: number): string {
  if (runs < 2 || !Number.isFinite(s.min)) return show(s.median);
  return `${show(s.median)} [${show(s.min).replace(/ .*$/, '')}–${show(s.max)}]`;
}

export const ratio = (a: number, b: number): number => (b > 0 && Number.isFinite(a) && Number.isFinite(b) ? a / b : Number.NaN);
export const showRatio = (r: number): string => (Number.isFinite(r) ? `${r.toFixed(2)}x` : 'n/a');
