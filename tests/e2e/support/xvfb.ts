import { XPainter, rgb, type Rect, type Rgb, startXvfb, type Xvfb, type XvfbOptions, CUSTOMER_WINDOW } from '@fernhilfe/testkit';

/**
 * The customer's "real" screen for browser tests: an Xvfb at 1920x1080 and a painter that fills
 * its root window with known colours. The implementation is shared with `npm run bench:browser`
 * (@fernhilfe/testkit, tools/testkit/src/xvfb.ts and x11-painter.ts); this file adds the test patterns.
 */
export { startXvfb, XPainter, rgb, type Rect, type Rgb, type Xvfb };

export interface XScreen {
  xvfb: Xvfb;
  painter: XPainter;
  /** the DISPLAY value for the customer's browser */
  display: string;
  stop(): Promise<void>;
}

/** An Xvfb (1920x1080 unless `options` say otherwise) with a painter on it. */
export async function startScreen(options: XvfbOptions = { width: 1920, height: 1080 }): Promise<XScreen> {
  const xvfb = await startXvfb(options);
  try {
    const painter = await XPainter.open(xvfb.display);
    return {
      xvfb,
      painter,
      display: xvfb.name,
      stop: async () => {
        painter.close();
        await xvfb.stop();
      },
    };
  } catch (err) {
    await xvfb.stop();
    throw err;
  }
}

/** Four quadrant colours, #rrggbb: top-left, top-right, bottom-left, bottom-right. */
export interface QuadrantPattern {
  name: string;
  tl: string;
  tr: string;
  bl: string;
  br: string;
}

// Saturated colours far apart from each other and from the page's white, so codec colour error
// (chroma subsampling, limited range) cannot turn one into another.
export const PATTERN_A: QuadrantPattern = { name: 'A', tl: '#e01010', tr: '#10c010', bl: '#1010e0', br: '#e0e010' };
export const PATTERN_B: QuadrantPattern = { name: 'B', tl: '#10d0d0', tr: '#d010d0', bl: '#f08010', br: '#202020' };

const W = 1920;
const H = 1080;
const quadrants = {
  tl: { x: 0, y: 0, width: W / 2, height: H / 2 },
  tr: { x: W / 2, y: 0, width: W / 2, height: H / 2 },
  bl: { x: 0, y: H / 2, width: W / 2, height: H / 2 },
  br: { x: W / 2, y: H / 2, width: W / 2, height: H / 2 },
} satisfies Record<string, Rect>;

/** Fills the whole root window with the pattern; resolves when the X server has drawn it. */
export function paint(painter: XPainter, pattern: QuadrantPattern): Promise<void> {
  return painter.paint((['tl', 'tr', 'bl', 'br'] as const).map((q) => ({ color: rgb(pattern[q]), rects: [quadrants[q]] })));
}

export interface SamplePoint {
  /** screen coordinates, 1920x1080 */
  x: number;
  y: number;
  quadrant: 'tl' | 'tr' | 'bl' | 'br';
}

const win = CUSTOMER_WINDOW;
const underCustomerWindow = (p: { x: number; y: number }) => p.x >= win.x - 40 && p.x < win.x + win.width + 40 && p.y >= win.y - 40 && p.y < win.y + win.height + 40;

/** Three points per quadrant, none near the customer's browser window or a quadrant border. */
export const SAMPLE_POINTS: SamplePoint[] = (
  [
    { x: 240, y: 135, quadrant: 'tl' },
    { x: 480, y: 270, quadrant: 'tl' },
    { x: 800, y: 450, quadrant: 'tl' },
    { x: 1200, y: 135, quadrant: 'tr' },
    { x: 1440, y: 270, quadrant: 'tr' },
    { x: 1750, y: 450, quadrant: 'tr' },
    { x: 200, y: 650, quadrant: 'bl' },
    { x: 480, y: 810, quadrant: 'bl' },
    { x: 800, y: 1000, quadrant: 'bl' },
    { x: 1100, y: 650, quadrant: 'br' },
    { x: 1200, y: 950, quadrant: 'br' },
    { x: 1800, y: 600, quadrant: 'br' },
  ] as const
).filter((p) => !underCustomerWindow(p));

/** Expected colour at each sample point for `pattern`. */
export function expectedAt(pattern: QuadrantPattern): Array<SamplePoint & { rgb: Rgb }> {
  return SAMPLE_POINTS.map((p) => ({ ...p, rgb: rgb(pattern[p.quadrant]) }));
}
