import { useCallback, useEffect, useLayoutEffect, useRef, type RefObject } from 'react';
import type { LiveSession } from '../session/live-session';
import { useStore } from '../state/use-store';
import '../styles/cursor.css';

/**
 * The customer's pointer, drawn by the console over the video from the shape and position the agent
 * sends (not part of the video: moving it costs a few bytes). Scaled like the video; never catches
 * clicks (those go to the video canvas below).
 */
export function CursorOverlay({ live, video }: { live: LiveSession; video: RefObject<HTMLCanvasElement | null> }) {
  const el = useRef<HTMLCanvasElement>(null);
  const shape = useStore(live.remote.store, (s) => s.cursorShape);
  const cursor = useStore(live.remote.store, (s) => s.cursor);
  const frameSize = useStore(live.store, (s) => s.frameSize);
  const playing = useStore(live.store, (s) => s.screen.kind === 'playing');
  // at reduced resolution (the sender's video-rate scale) positions come in video pixels, the shape in screen pixels
  const videoScale = useStore(live.store, (s) => s.rate?.scale ?? 1);

  useEffect(() => {
    const c = el.current;
    if (!c || !shape) return;
    c.width = shape.width;
    c.height = shape.height;
    c.getContext('2d')?.putImageData(new ImageData(shape.rgba, shape.width, shape.height), 0, 0);
  }, [shape]);

  const place = useCallback(() => {
    const c = el.current;
    const v = video.current;
    if (!c || !v || !shape || frameSize.width === 0) return;
    const scale = v.clientWidth / frameSize.width;
    const shapeScale = scale * videoScale;
    c.style.left = `${v.offsetLeft + cursor.x * scale - shape.hotX * shapeScale}px`;
    c.style.top = `${v.offsetTop + cursor.y * scale - shape.hotY * shapeScale}px`;
    c.style.width = `${shape.width * shapeScale}px`;
    c.style.height = `${shape.height * shapeScale}px`;
  }, [video, shape, cursor, frameSize, videoScale]);

  useLayoutEffect(place, [place]);
  useEffect(() => {
    if (!video.current) return;
    const observer = new ResizeObserver(place);
    observer.observe(video.current);
    return () => observer.disconnect();
  }, [video, place]);

  const visible = playing && shape !== undefined && cursor.visible;
  return <canvas ref={el} className="viewer-cursor" data-testid="viewer-cursor" data-x={cursor.x} data-y={cursor.y} hidden={!visible} aria-hidden="true" />;
}
