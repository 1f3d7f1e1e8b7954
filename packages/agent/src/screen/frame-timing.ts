import type { VideoFlow } from '@fernhilfe/protocol';
import type { ScreenCapture } from '../platform/types.js';
import type { ScreenEncoder } from '../encode/types.js';
import type { RateReport } from './send-rate.js';

/**
 * Where one frame's time went, wall clock in ms since the epoch with sub-ms precision
 * (performance.timeOrigin + performance.now(), the clock the benchmark's viewer page uses too).
 */
export interface FrameTiming {
  /** the first change (DamageNotify) this frame carries; undefined for a refinement or a keyframe only */
  damageAt: number | undefined;
  grabStart: number;
  grabEnd: number;
  /** handed to the encoder: after grabEnd by the time the frame before it took to come out (pipeline depth 2) */
  handedAt: number;
  /** the whole raw frame handed to the encoder (pipe write done), when the encoder reports it */
  writtenAt: number | undefined;
  /** the access unit came out of the encoder */
  encodedAt: number;
  /** sealed and queued on the session */
  sentAt: number;
}

export interface FramePumpEvents extends Record<string, unknown> {
  /** a frame went out: what it cost, for logs and the benchmark */
  frame: { bytes: number; keyframe: boolean; refine: boolean; grabMs: number; encodeMs: number; width: number; height: number; timing: FrameTiming };
  /** the decoder configuration changed (before the first frame and on every size change) */
  configured: { codec: string; width: number; height: number };
  /** the rate control's state for the viewer (`video-rate`): at most about once a second, at once when the scale changes */
  rate: RateReport;
  failed: Error;
}

export interface FramePumpOptions {
  capture: ScreenCapture;
  encoder: ScreenEncoder;
  sendVideo(bytes: Uint8Array): Promise<void>;
  maxFps: number;
  /** after this long without a change the picture is sent once more in high quality (0: never); default 200 ms */
  refineAfterMs?: number;
  /** default: a VideoFlow with a RateControl (byte budget, pacing, bitrate cap, scale); a flow without one keeps the frame window */
  flow?: VideoFlow;
  now?: () => number;
}
