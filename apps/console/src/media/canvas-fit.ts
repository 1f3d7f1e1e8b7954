/** "fit": the whole screen inside the viewer area, aspect ratio kept; "actual": one remote pixel per CSS pixel. */
export type FitMode = 'fit' | 'actual';

export interface Size {
  width: number;
  height: number;
}

/** The CSS size of the canvas for a frame of `frame` pixels shown in an area of `area` pixels. */
export function fitSize(frame: Size, area: Size, mode: FitMode): Size {
  if (mode === 'actual' || frame.width <= 0 || frame.height <= 0) return { width: frame.width, height: frame.height };
  const scale = Math.min(area.width / frame.width, area.height / frame.height);
  if (!Number.isFinite(scale) || scale <= 0) return { width: 0, height: 0 };
  return { width: Math.floor(frame.width * scale), height: Math.floor(frame.height * scale) };
}

/**
 * Keeps the canvas's CSS size right as the area, the frame size or the mode change. Sizes go through
 * CSSOM (`style.width = …`), which the strict CSP allows; the stylesheet does the rest (centring,
 * scrollbars in "actual" mode).
 */
export class CanvasFit {
  private frame: Size = { width: 0, height: 0 };
  private mode: FitMode = 'fit';
  private readonly observer: ResizeObserver;

  constructor(
    private readonly area: HTMLElement,
    private readonly canvas: HTMLCanvasElement,
  ) {
    this.observer = new ResizeObserver(() => this.apply());
    this.observer.observe(area);
  }

  setFrame(size: Size): void {
    this.frame = size;
    this.apply();
  }

  setMode(mode: FitMode): void {
    this.mode = mode;
    this.apply();
  }

  dispose(): void {
    this.observer.disconnect();
  }

  private apply(): void {
    const { width, height } = fitSize(this.frame, { width: this.area.clientWidth, height: this.area.clientHeight }, this.mode);
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
  }
}
