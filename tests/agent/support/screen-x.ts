import { rgb, startScreen, type Rgb, type XScreen } from '../../e2e/support/xvfb.js';

/**
 * A real two-monitor X screen for the screen tests: Xvfb 3840x1080 with RANDR and two RandR 1.5
 * monitors side by side (LEFT primary, RIGHT), and a painter that fills each monitor with a colour.
 */
export const LEFT = { name: 'LEFT', x: 0, y: 0, width: 1920, height: 1080 };
export const RIGHT = { name: 'RIGHT', x: 1920, y: 0, width: 1920, height: 1080 };

export interface TwoMonitorScreen extends XScreen {
  /** fills the whole monitor; resolves when the X server has drawn it */
  fill(monitor: typeof LEFT, colour: string): Promise<void>;
}

export async function startTwoMonitors(): Promise<TwoMonitorScreen> {
  const screen = await startScreen({ width: 3840, height: 1080, randr: true, monitors: [LEFT, RIGHT] });
  return { ...screen, fill: (m, colour) => screen.painter.fill(rgb(colour), [{ x: m.x, y: m.y, width: m.width, height: m.height }]) };
}

export { rgb, type Rgb };
