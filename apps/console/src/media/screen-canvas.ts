import type { Size } from './canvas-fit';

/**
 * The canvas the customer's screen is drawn into, sized to the pictures (the page scales it with CSS,
 * canvas-fit.ts). Without a canvas nothing is drawn; the viewer still decodes and acknowledges.
 */
export class ScreenCanvas {
  private canvas: HTMLCanvasElement | undefined;
  private context: CanvasRenderingContext2D | undefined;
  private frameSize: Size = { width: 0, height: 0 };

  constructor(private readonly onFrameSize?: (size: Size) => void) {}

  /** Draw into this canvas from now on (null: draw nowhere); false when it is the one in use already. */
  attach(canvas: HTMLCanvasElement | null): boolean {
    if (canvas === (this.canvas ?? null)) return false;
    this.canvas = canvas ?? undefined;
    this.context = canvas?.getContext('2d', { alpha: false }) ?? undefined;
    if (this.frameSize.width > 0) this.sizeCanvas(this.frameSize);
    return true;
  }

  /** Draws a decoded picture and closes it. */
  paint(frame: VideoFrame): void {
    try {
      const size = { width: frame.displayWidth, height: frame.displayHeight };
      if (size.width !== this.frameSize.width || size.height !== this.frameSize.height) {
        this.frameSize = size;
        this.sizeCanvas(size);
        this.onFrameSize?.(size);
      }
      this.context?.drawImage(frame, 0, 0, size.width, size.height);
    } finally {
      frame.close();
    }
  }

  private sizeCanvas(size: Size): void {
    if (!this.canvas) return;
    if (this.canvas.width !== size.width) this.canvas.width = size.width;
    if (this.canvas.height !== size.height) this.canvas.height = size.height;
  }
}
