import { useEffect, type RefObject } from 'react';
import type { LiveSession } from '../session/live-session';
import { useStore } from '../state/use-store';
import { InputCapture } from './input-capture';

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
