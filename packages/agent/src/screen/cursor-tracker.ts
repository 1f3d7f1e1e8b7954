import { MAX_CURSOR_SIZE, type ControlMessage } from '@fernhilfe/protocol';
import type { CursorShape, Rect, ScreenCapture } from '../capture/types.js';

const STILL_AFTER_MS = 2000;

/**
 * Sends the pointer to the viewer apart from the video: its shape when it changes (XFIXES
 * CursorNotify) and its position, polled `hz` times a second and sent only when it moved, in
 * pixels of the monitor shown. A still pointer sends nothing.
 */
export class CursorTracker {
  private timer: ReturnType<typeof setInterval> | undefined;
  private last = '';
  private polling = false;
  private movedAt = 0;
  private skipped = 0;
  private readonly now = () => performance.now();
  private readonly offShape: () => void;

  constructor(
    private readonly capture: ScreenCapture,
    private readonly send: (m: ControlMessage) => void,
    private readonly area: () => Rect,
    private readonly hz = 30,
  ) {
    this.offShape = capture.on('cursor-shape', (shape) => this.sendShape(shape));
  }

  async start(): Promise<void> {
    const shape = await this.capture.cursorShape().catch(() => undefined);
    if (shape) this.sendShape(shape);
    this.timer = setInterval(() => {
      // a pointer still for a while is looked at 5 times a second only (idle costs next to nothing)
      if (this.now() - this.movedAt > STILL_AFTER_MS && ++this.skipped < Math.ceil(this.hz / 5)) return;
      this.skipped = 0;
      void this.poll();
    }, Math.max(5, Math.round(1000 / this.hz)));
    await this.poll();
  }

  /** The monitor changed: send the position again even if the pointer did not move. */
  resend(): void {
    this.last = '';
    void this.poll();
  }

  stop(): void {
    clearInterval(this.timer);
    this.offShape();
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
        this.last = key;
        this.movedAt = this.now();
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
