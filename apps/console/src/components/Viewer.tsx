import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFullscreen } from '../hooks/use-fullscreen';
import { useInputCapture } from '../control/input-capture';
import { CanvasFit, type FitMode } from '../media/canvas-fit';
import { CursorOverlay } from './CursorOverlay';
import { MonitorSelect } from './MonitorSelect';
import type { LiveSession } from '../session/live-session';
import { useStore } from '../state/use-store';

/** The customer's screen on a canvas; "fit" or 1:1 with scrollbars; full screen on demand. */
export function Viewer({ live }: { live: LiveSession }) {
  const { t } = useTranslation();
  const container = useRef<HTMLDivElement>(null);
  const area = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const fit = useRef<CanvasFit | null>(null);
  const [mode, setMode] = useState<FitMode>('fit');
  const modeNow = useRef(mode);
  const screen = useStore(live.store, (s) => s.screen);
  const frameSize = useStore(live.store, (s) => s.frameSize);
  // at reduced resolution (video-rate scale 0.5) the canvas is laid out at the customer's screen size, so 1:1 stays 1:1
  const videoScale = useStore(live.store, (s) => s.rate?.scale ?? 1);
  const [fullscreen, toggleFullscreen] = useFullscreen(container);
  const controlling = useInputCapture(live, canvas);

  useEffect(() => {
    if (!area.current || !canvas.current) return;
    const f = new CanvasFit(area.current, canvas.current);
    f.setMode(modeNow.current);
    f.setFrame(screenSize(live.store.get().frameSize, live.store.get().rate?.scale ?? 1));
    fit.current = f;
    live.viewer.attach(canvas.current);
    return () => {
      live.viewer.attach(null);
      f.dispose();
      fit.current = null;
    };
  }, [live]);

  useEffect(() => {
    modeNow.current = mode;
    fit.current?.setMode(mode);
  }, [mode]);

  useEffect(() => fit.current?.setFrame(screenSize(frameSize, videoScale)), [frameSize, videoScale]);

  let status: string | undefined;
  if (screen.kind === 'waiting') status = t('session.screen.waiting');
  else if (screen.kind === 'starting') status = t('session.screen.starting');
  else if (screen.kind === 'stopped') status = t('session.screen.stopped');
  else if (screen.kind === 'unsupported') status = t('session.screen.unsupported', { codec: screen.codec });

  return (
    <div className={`viewer viewer--${mode}`} ref={container} data-screen={screen.kind}>
      <div className="viewer-tools">
        <MonitorSelect live={live} />
        <button type="button" className="button button--small" data-testid="fit-toggle" data-mode={mode} aria-pressed={mode === 'actual'} onClick={() => setMode(mode === 'fit' ? 'actual' : 'fit')}>
          {mode === 'fit' ? t('session.actual') : t('session.fit')}
        </button>
        <button type="button" className="button button--small" data-testid="fullscreen" aria-pressed={fullscreen} onClick={toggleFullscreen}>
          {fullscreen ? t('session.exitFullscreen') : t('session.fullscreen')}
        </button>
      </div>
      <div className="viewer-area" ref={area}>
        <canvas className={screen.kind === 'playing' ? 'viewer-canvas' : 'viewer-canvas viewer-canvas--idle'} data-testid="viewer-canvas" data-controlling={controlling} ref={canvas} width={0} height={0} />
        <CursorOverlay live={live} video={canvas} />
        {status && (
          <p className="viewer-status" data-testid="viewer-status" role="status">
            {status}
          </p>
        )}
      </div>
    </div>
  );
}

/** The customer's screen size the video stands for (the video's size divided by the sender's scale). */
function screenSize(frame: { width: number; height: number }, scale: number): { width: number; height: number } {
  return { width: Math.round(frame.width / scale), height: Math.round(frame.height / scale) };
}
