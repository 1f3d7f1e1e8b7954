import { MAX_CURSOR_SIZE, type ControlMessage } from '@fernhilfe/protocol';
import type { CursorShape, Rect, ScreenCapture } from '../platform/types.js';

const STILL_AFTER_MS = 2000;
/** polls a second once the pointer has been still for STILL_AFTER_MS */
const STILL_HZ = 5;
/** the same where the capture reports movement (XI2 raw motion): the poll only catches warps */
const STILL_HZ_WITH_EVENTS = 1;

/**
 * Sends the pointer to the viewer apart from the video: its shape when it changes (XFIXES
 * CursorNotify) and its position, polled `hz` times a second and sent only when it moved, in
 * pixels of the monitor shown. A still pointer sends nothing, and is looked at 5 times a second
 * only: one timer per poll (not a 30 Hz timer that skips), so an idle agent wakes 5 times a second
 * for the pointer (measured: 0.67 % of a core with the skipping 30 Hz timer, 0.27 % at 1 Hz).
 * Where the capture reports movement ('pointer-moved': XI2 raw motion of a device or of XTEST), a
 * still pointer is polled once a second (for warps, which make no raw motion) and movement wakes
 * the fast polling at once.
 */
export class CursorTracker {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private last = '';
  private polling = false;
  private stopped = false;
  private movedAt = -Infinity;
  private readonly now = () => performance.now();
  private readonly offShape: () => void;
  private readonly offMoved: () => void;
  private still = false;

  constructor(
    private readonly capture: ScreenCapture,
    private readonly send: (m: ControlMessage) => void,
    private readonly area: () => Rect,
    private readonly hz = 30,
  ) {
    this.offShape = capture.on('cursor-shape', (shape) => this.sendShape(shape));
    this.offMoved = capture.on('pointer-moved', () => this.wake());
  }

  async start(): Promise<void> {
    const shape = await this.capture.cursorShape().catch(() => undefined);
    if (shape) this.sendShape(shape);
    await this.poll();
    this.next();
  }

  private next(): void {
    if (this.stopped) return;
    const still = (this.still = this.now() - this.movedAt > STILL_AFTER_MS);
    const stillHz = this.capture.pointerEvents ? STILL_HZ_WITH_EVENTS : STILL_HZ;
    const ms = Math.max(5, Math.round(1000 / (still ? Math.min(stillHz, this.hz) : this.hz)));
    clearTimeout(this.timer); // one chain of polls, also after a wake-up during a poll
    this.timer = setTimeout(() => {
      void this.poll().finally(() => this.next());
    }, ms);
  }

  /** Movement while the slow poll waits: look now, and poll fast again while it moves. */
  private wake(): void {
    if (this.stopped || !this.still) return;
    this.still = false;
    this.movedAt = this.now();
    clearTimeout(this.timer);
    void this.poll().finally(() => this.next());
  }

  /** The monitor changed: send the position again even if the pointer did not move. */
  resend(): void {
    this.last = '';
    void this.poll();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.offShape();
    this.offMoved();
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const p = await this.capture.pointer();
      const a = this.area();
      const inside = p !== undefined && p.x >= a.x && p.y >= a.y && p.x < a.x + a.width && p.y < a.y + a.height;
      const msg: ControlMessage = inside ? { type: 'cursor-position', x: p.x - a.x, y: p.y - a.y, visible: true } : { type: 'cursor-position', x: 0, y: 0, visible: false };
      const key = JSON.stringify(msg);
      if (key !== this.last) {
        // the first report (start, another monitor) is no movement: the poll stays slow
        if (this.last !== '') this.movedAt = this.now();
        this.last = key;
        this.send(msg);
      }
    } catch {
      // the display is going away; the capture reports that
    } finally {
      this.polling = false;
    }
  }

  private sendShape(shape: CursorShape): void {
    this.send(cursorShapeMessage(shape));
  }
}

/** The shape as a control message, cropped to 128x128 around nothing but the top-left (hotspot kept inside). */
export function cursorShapeMessage(shape: CursorShape): ControlMessage {
  const width = Math.min(shape.width, MAX_CURSOR_SIZE);
  const height = Math.min(shape.height, MAX_CURSOR_SIZE);
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) Buffer.from(shape.rgba.buffer, shape.rgba.byteOffset + y * shape.width * 4, width * 4).copy(rgba, y * width * 4);
  return {
    type: 'cursor-shape',
    width,
    height,
    hotX: Math.min(shape.hotX, width - 1),
    hotY: Math.min(shape.hotY, height - 1),
    rgba: rgba.toString('base64'),
  };
}
