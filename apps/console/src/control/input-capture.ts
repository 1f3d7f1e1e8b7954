import { useEffect, type RefObject } from 'react';
import type { InputEvent, PointerButton } from '@fernhilfe/protocol';
import type { Size } from '../media/canvas-fit';
import type { LiveSession } from '../session/live-session';
import { useStore } from '../state/use-store';

/** Browser wheel deltas per notch: pixels (Chromium, Firefox with a mouse), lines, pages. */
const PIXELS_PER_NOTCH = 100;
const LINES_PER_NOTCH = 3;

/** Where a point of the canvas is in the remote frame: the canvas shows the whole frame, scaled. */
export function toFrame(clientX: number, clientY: number, rect: { left: number; top: number; width: number; height: number }, frame: Size): { x: number; y: number } {
  if (rect.width <= 0 || rect.height <= 0) return { x: 0, y: 0 };
  const x = ((clientX - rect.left) / rect.width) * frame.width;
  const y = ((clientY - rect.top) / rect.height) * frame.height;
  return { x: Math.max(0, Math.min(frame.width - 1, Math.floor(x))), y: Math.max(0, Math.min(frame.height - 1, Math.floor(y))) };
}

/** Turns wheel deltas into whole notches, keeping the remainder for the next event (touchpads send small steps). */
export class WheelAccumulator {
  private dx = 0;
  private dy = 0;

  add(deltaX: number, deltaY: number, deltaMode: number): { dx: number; dy: number } {
    const unit = deltaMode === 0 ? 1 / PIXELS_PER_NOTCH : deltaMode === 1 ? 1 / LINES_PER_NOTCH : 1;
    this.dx += deltaX * unit;
    this.dy += deltaY * unit;
    const out = { dx: Math.trunc(this.dx) || 0, dy: Math.trunc(this.dy) || 0 }; // never -0
    this.dx -= out.dx;
    this.dy -= out.dy;
    return out;
  }
}

/**
 * Captures the technician's mouse and keyboard on the viewer canvas and emits typed input events
 * (it never touches the session). Pointer positions are mapped from the canvas to the remote frame.
 * Keys go as the browser's `code` + `key`, with the browser's own handling prevented (so Tab,
 * Backspace, F5 reach the customer, not the console); losing focus releases everything.
 */
export class InputCapture {
  private readonly wheel = new WheelAccumulator();
  private readonly offs: Array<() => void> = [];
  private pendingMove: { x: number; y: number } | undefined;
  private moveFrame = 0;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly frame: () => Size,
    private readonly emit: (event: InputEvent) => void,
  ) {
    canvas.tabIndex = 0;
    const on = <K extends keyof HTMLElementEventMap>(type: K, fn: (e: HTMLElementEventMap[K]) => void, opts?: AddEventListenerOptions) => {
      canvas.addEventListener(type, fn as EventListener, opts);
      this.offs.push(() => canvas.removeEventListener(type, fn as EventListener, opts));
    };
    on('pointermove', (e) => this.queueMove(this.at(e)));
    on('pointerdown', (e) => {
      canvas.focus({ preventScroll: true });
      if (e.button < 0 || e.button > 4) return;
      e.preventDefault();
      this.flushMove();
      this.emit({ type: 'pointer-button', button: e.button as PointerButton, down: true, ...this.at(e) });
    });
    on('pointerup', (e) => {
      if (e.button < 0 || e.button > 4) return;
      e.preventDefault();
      this.flushMove();
      this.emit({ type: 'pointer-button', button: e.button as PointerButton, down: false, ...this.at(e) });
    });
    on('contextmenu', (e) => e.preventDefault());
    on('wheel', (e) => {
      e.preventDefault();
      const { dx, dy } = this.wheel.add(e.deltaX, e.deltaY, e.deltaMode);
      if (dx !== 0 || dy !== 0) this.emit({ type: 'wheel', dx, dy, ...this.at(e) });
    }, { passive: false });
    on('keydown', (e) => this.key(e, true));
    on('keyup', (e) => this.key(e, false));
    on('blur', () => this.emit({ type: 'release-all' }));
  }

  /** Stops capturing; anything still held is released on the customer's side. */
  dispose(): void {
    cancelAnimationFrame(this.moveFrame);
    for (const off of this.offs.splice(0)) off();
    this.emit({ type: 'release-all' });
  }

  private key(e: KeyboardEvent, down: boolean): void {
    e.preventDefault();
    if (e.isComposing || e.key === 'Dead' || e.key === 'Process') return;
    const code = /^[A-Za-z0-9]{0,32}$/.test(e.code) ? e.code : '';
    const key = e.key.length > 0 && new TextEncoder().encode(e.key).length <= 64 ? e.key : 'Unidentified';
    this.flushMove();
    this.emit({ type: 'key', down, code, key });
  }

  private at(e: MouseEvent): { x: number; y: number } {
    return toFrame(e.clientX, e.clientY, this.canvas.getBoundingClientRect(), this.frame());
  }

  /** At most one move per animation frame: the newest position wins. */
  private queueMove(p: { x: number; y: number }): void {
    const first = this.pendingMove === undefined;
    this.pendingMove = p;
    if (first) this.moveFrame = requestAnimationFrame(() => this.flushMove());
  }

  private flushMove(): void {
    cancelAnimationFrame(this.moveFrame);
    const p = this.pendingMove;
    this.pendingMove = undefined;
    if (p) this.emit({ type: 'pointer-move', ...p });
  }
}

/** While control is granted, the viewer canvas captures mouse and keyboard for the customer's desktop. */
export function useInputCapture(live: LiveSession, canvas: RefObject<HTMLCanvasElement | null>): boolean {
  const granted = useStore(live.control.store, (s) => s.control === 'granted');
  useEffect(() => {
    const el = canvas.current;
    if (!granted || !el) return;
    const capture = new InputCapture(el, () => live.store.get().frameSize, (event) => live.sendInput(event));
    el.focus({ preventScroll: true });
    return () => capture.dispose();
  }, [granted, live, canvas]);
  return granted;
}
