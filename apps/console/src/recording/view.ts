import type { RemoteScreen } from '../media/remote-screen';
import type { RecordedView } from './recorder';

/**
 * What the session view shows, for the recorder: the video canvas and the pointer overlay
 * (components/Viewer.tsx, CursorOverlay.tsx), found by their test ids; the pointer placed in video
 * pixels from the agent's position and shape, as the overlay places it on screen.
 */
export function shownView(remote: RemoteScreen, videoScale: () => number): RecordedView {
  return {
    video: () => document.querySelector<HTMLCanvasElement>('canvas[data-testid="viewer-canvas"]'),
    pointer: () => {
      const el = document.querySelector<HTMLCanvasElement>('canvas[data-testid="viewer-cursor"]');
      const { cursor, cursorShape: shape } = remote.store.get();
      if (!el || el.hidden || !shape || !cursor.visible || el.width === 0) return null;
      const s = videoScale();
      return { image: el, x: cursor.x - shape.hotX * s, y: cursor.y - shape.hotY * s, width: shape.width * s, height: shape.height * s };
    },
  };
}
