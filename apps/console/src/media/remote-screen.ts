import type { ControlMessage, MonitorInfo } from '@fernhilfe/protocol';
import { Store } from '../state/store';

export interface CursorShapeState {
  width: number;
  height: number;
  hotX: number;
  hotY: number;
  rgba: Uint8ClampedArray<ArrayBuffer>;
}

export interface RemoteScreenState {
  monitors: readonly MonitorInfo[];
  selected: string | undefined;
  cursorShape: CursorShapeState | undefined;
  /** in pixels of the shown monitor (= video frame pixels) */
  cursor: { x: number; y: number; visible: boolean };
}

type Incoming = Extract<ControlMessage, { type: 'screen-monitors' | 'cursor-shape' | 'cursor-position' }>;

/**
 * What the native agent tells about its screen besides the video: its monitors (the technician can
 * switch) and the pointer, which the console draws itself over the video (components/CursorOverlay).
 */
export class RemoteScreen {
  readonly store = new Store<RemoteScreenState>({ monitors: [], selected: undefined, cursorShape: undefined, cursor: { x: 0, y: 0, visible: false } });

  constructor(private readonly send: (message: ControlMessage) => void) {}

  handle(message: Incoming): void {
    if (message.type === 'screen-monitors') {
      this.store.set({ monitors: message.monitors, selected: message.selected });
    } else if (message.type === 'cursor-shape') {
      const bytes = Uint8Array.from(atob(message.rgba), (c) => c.charCodeAt(0));
      this.store.set({ cursorShape: { width: message.width, height: message.height, hotX: message.hotX, hotY: message.hotY, rgba: new Uint8ClampedArray(bytes.buffer) } });
    } else {
      this.store.set({ cursor: { x: message.x, y: message.y, visible: message.visible } });
    }
  }

  /** Asks the customer's agent to show another monitor. */
  select(id: string): void {
    if (id === this.store.get().selected || !this.store.get().monitors.some((m) => m.id === id)) return;
    this.send({ type: 'screen-select-monitor', id });
  }
}
