import type { Page } from 'playwright-core';
import { poll, type WatchedPage } from './browser.js';
import { expectedAt, type QuadrantPattern } from './xvfb.js';
import type { Rgb } from '@fernhilfe/testkit';

/**
 * The steps a person takes in the two apps, by data-testid only (docs/web-apps.md; shared with
 * `npm run bench:browser`), and reading pixels off the console's viewer canvas.
 */
export { customerGetsCredentials, technicianConnects, technicianSignsIn, valueOf, type Credentials } from '@fernhilfe/testkit';

export interface PixelProbe {
  x: number;
  y: number;
}

/**
 * The colours of the console's viewer canvas at screen points (scaled from 1920x1080 to the
 * canvas's own size), each the mean of a 5x5 block; null while the canvas is missing or empty.
 */
export async function canvasColours(page: Page, points: PixelProbe[], screen = { width: 1920, height: 1080 }): Promise<Rgb[] | null> {
  return page.evaluate(
    ({ points, screen }) => {
      const el = document.querySelector('[data-testid="viewer-canvas"]');
      const canvas = el instanceof HTMLCanvasElement ? el : el?.querySelector('canvas');
      if (!canvas || canvas.width < 16 || canvas.height < 16) return null;
      const copy = document.createElement('canvas');
      copy.width = canvas.width;
      copy.height = canvas.height;
      const g = copy.getContext('2d', { willReadFrequently: true });
      if (!g) return null;
      g.drawImage(canvas, 0, 0);
      return points.map((p) => {
        const x = Math.round((p.x / screen.width) * canvas.width) - 2;
        const y = Math.round((p.y / screen.height) * canvas.height) - 2;
        const d = g.getImageData(Math.max(0, x), Math.max(0, y), 5, 5).data;
        const sum = [0, 0, 0];
        for (let i = 0; i < d.length; i += 4) for (let c = 0; c < 3; c++) sum[c]! += d[i + c]!;
        const n = d.length / 4;
        return [Math.round(sum[0]! / n), Math.round(sum[1]! / n), Math.round(sum[2]! / n)] as [number, number, number];
      });
    },
    { points, screen },
  );
}

/** Each channel within `tolerance` (codec colour error). */
export function closeTo(a: Rgb, b: Rgb, tolerance = 40): boolean {
  return a.every((v, i) => Math.abs(v - b[i]!) <= tolerance);
}

export const hex = (c: Rgb): string => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;

/**
 * Waits until the console's canvas shows `pattern` (at every sample point, within the codec
 * tolerance); fails with what each point showed instead. Returns how long it took.
 */
export async function expectCanvasPattern(tech: WatchedPage, pattern: QuadrantPattern, withinMs: number, others: WatchedPage[] = []): Promise<number> {
  const expected = expectedAt(pattern);
  let last: Rgb[] | null = null;
  const failure = () => {
    const seen = last as Rgb[] | null;
    const report = expected.map((e, i) => `(${e.x},${e.y}) want ${hex(e.rgb)} got ${seen?.[i] ? hex(seen[i]) : 'nothing'}`).join('\n');
    const logs = [tech, ...others].map((p, i) => `${i === 0 ? 'console' : 'other page'} log:\n${p.log.join('\n')}`).join('\n');
    return `pattern ${pattern.name} on the console canvas:\n${report}\n${logs}`;
  };
  const r = await poll(async () => {
    last = await canvasColours(tech.page, expected);
    return last !== null && expected.every((e, i) => closeTo(last![i]!, e.rgb));
  }, withinMs, failure, 25);
  return r.ms;
}
