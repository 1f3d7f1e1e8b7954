import { XPainter, rgb, type Rgb } from '../../../packages/cli/src/bench/browser-x11.js';
import { startXvfb, type Xvfb } from '../../../packages/cli/src/bench/browser-xvfb.js';

/**
 * A real two-monitor X screen for the screen tests: Xvfb 3840x1080 with RANDR and two RandR 1.5
 * monitors side by side (LEFT primary, RIGHT), and a painter that fills each monitor with a colour.
 */
export const LEFT = { name: 'LEFT', x: 0, y: 0, width: 1920, height: 1080 };
export const RIGHT = { name: 'RIGHT', x: 1920, y: 0, width: 1920, height: 1080 };

export interface TwoMonitorScreen {
  xvfb: Xvfb;
  display: string;
  painter: XPainter;
  /** fills the whole monitor; resolves when the X server has drawn it */
  fill(monitor: typeof LEFT, colour: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startTwoMonitors(): Promise<TwoMonitorScreen> {
  const xvfb = await startXvfb({ width: 3840, height: 1080, randr: true, monitors: [LEFT, RIGHT] });
  try {
    const painter = await XPainter.open(xvfb.display);
    return {
      xvfb,
      display: xvfb.name,
      painter,
      fill: (m, colour) => painter.fill(rgb(colour), [{ x: m.x, y: m.y, width: m.width, height: m.height }]),
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

export { rgb, type Rgb };
