import type { Rect, Rgb, XPainter } from '@fernhilfe/testkit';

/**
 * Motion on the X screen for the browser benchmark: a 320x240 square that slides left and right
 * across the upper half of the screen and changes colour, repainted `fps` times a second (the old
 * place is filled with the background, the new one with the square), like a window being dragged.
 */
export const BACKGROUND: Rgb = [96, 96, 96];
const SQUARE = { width: 320, height: 240 };
const SPEED_PX_PER_S = 600;

export class MovingSquare {
  private timer: NodeJS.Timeout | undefined;
  private last: Rect | undefined;
  private busy = false;
  private started = 0;
  /** repaints the X server has carried out */
  ticks = 0;
  /** ticks skipped because the previous repaint had not finished */
  skipped = 0;

  constructor(
    private readonly painter: XPainter,
    private readonly area: { width: number; top: number },
  ) {}

  start(fps = 30): void {
    this.started = performance.now();
    this.timer = setInterval(() => void this.tick(), 1000 / fps);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    while (this.busy) await new Promise((r) => setTimeout(r, 5));
    if (this.last) await this.painter.fill(BACKGROUND, [this.last]);
    this.last = undefined;
  }

  private async tick(): Promise<void> {
    if (this.busy) {
      this.skipped++;
      return;
    }
    this.busy = true;
    try {
      const t = (performance.now() - this.started) / 1000;
      const span = this.area.width - SQUARE.width;
      const travel = (t * SPEED_PX_PER_S) % (2 * span);
      const x = travel < span ? travel : 2 * span - travel;
      const rect = { x: Math.round(x), y: this.area.top, ...SQUARE };
      const hue = (t * 90) % 360;
      const areas = [{ color: hueToRgb(hue), rects: [rect] }];
      if (this.last) areas.unshift({ color: BACKGROUND, rects: [this.last] });
      await this.painter.paint(areas);
      this.last = rect;
      this.ticks++;
    } finally {
      this.busy = false;
    }
  }
}

/** A saturated colour for a hue in degrees. */
function hueToRgb(h: number): Rgb {
  const f = (n: number) => {
    const k = (n + h / 60) % 6;
    return Math.round(255 * (1 - Math.max(0, Math.min(k, 4 - k, 1))));
  };
  return [f(5), f(3), f(1)];
}
