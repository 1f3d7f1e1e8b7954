import { LogicalChannel, VideoFlow, type ControlMessage } from '@fernhilfe/protocol';
import { Emitter, InvariantError } from '@fernhilfe/protocol';
import { openScreenCapture } from '../platform/index.js';
import type { CaptureOptions, Monitor, ScreenCapture } from '../platform/types.js';
import { encoders } from '../encode/index.js';
import type { ScreenEncoder } from '../encode/types.js';
import { listenerErrorsTo } from '../app/log.js';
import type { AgentFeature, SessionPort } from '../session/feature.js';
import { CursorTracker } from './cursor-tracker.js';
import { FramePump, type FramePumpEvents } from './frame-pump.js';

export interface ScreenLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface ScreenFeatureOptions {
  /** opens the platform capture; default openScreenCapture(capture) */
  openCapture?: () => Promise<ScreenCapture>;
  capture?: CaptureOptions;
  /** default: the registry's h264 (x264 in fernhilfe-encoder) */
  openEncoder?: () => ScreenEncoder;
  /** frames per second at most (default 30) */
  maxFps?: number;
  /** after this long without a change the picture is sent once more, sharp (default 200 ms; 0: never) */
  refineAfterMs?: number;
  /**
   * adapt to the link (default true): RateControl's byte budget, pacing, bitrate cap and scale;
   * false: the fixed window of 3 frames and no cap (for comparisons)
   */
  adapt?: boolean;
  /** pointer position polls per second (default 30) */
  pointerHz?: number;
  log?: ScreenLog;
}

export interface ScreenFeatureEvents extends FramePumpEvents {
  started: { method: string; monitors: Monitor[] };
}

const quiet: ScreenLog = { info: () => undefined, error: () => undefined };

/**
 * The customer's screen in a session: video of one monitor on LogicalChannel.video (the same
 * frames, `video-config` and flow control as the browser share), the monitor list and the pointer
 * as control messages. Handles the viewer's `video-ack`, `keyframe-request` and `screen-select-monitor`.
 *
 *   new --start()--> running --stop() / capture lost / encoder failed--> stopped
 */
export class ScreenFeature extends Emitter<ScreenFeatureEvents> implements AgentFeature {
  readonly name = 'screen';
  private state: 'new' | 'running' | 'stopped' = 'new';
  private capture: ScreenCapture | undefined;
  private encoder: ScreenEncoder | undefined;
  private pump: FramePump | undefined;
  private cursor: CursorTracker | undefined;
  private port: SessionPort | undefined;
  private readonly offs: Array<() => void> = [];
  private readonly log: ScreenLog;
  /** the scale the pointer positions were last sent in */
  private cursorScale = 1;

  constructor(private readonly opts: ScreenFeatureOptions = {}) {
    super(listenerErrorsTo(opts.log ?? quiet));
    this.log = opts.log ?? quiet;
  }

  /** The monitor shown and the video's size (for the input feature's coordinates). */
  geometry(): { monitor: { x: number; y: number; width: number; height: number }; frame: { width: number; height: number } } {
    const m = this.capture?.selected ?? { x: 0, y: 0, width: 1, height: 1 };
    // half size while the link is narrow (the rate control's scale): the console's coordinates are the video's
    const half = this.pump?.scale === 0.5;
    const frame = half ? { width: (m.width >> 1) & ~1, height: (m.height >> 1) & ~1 } : { width: m.width & ~1, height: m.height & ~1 };
    return { monitor: { x: m.x, y: m.y, width: m.width, height: m.height }, frame };
  }

  /** the running encoder (the benchmark reads its child pids) */
  get encoderInUse(): ScreenEncoder | undefined {
    return this.encoder;
  }

  async start(port: SessionPort): Promise<void> {
    if (this.state !== 'new') throw new InvariantError(`ScreenFeature.start() in state ${this.state}`);
    this.state = 'running';
    this.port = port;
    const capture = await (this.opts.openCapture ?? (() => openScreenCapture(this.opts.capture)))();
    if (this.state !== 'running') return capture.close();
    this.capture = capture;
    try {
      this.encoder = (this.opts.openEncoder ?? (() => encoders.h264({})))();
    } catch (err) {
      this.finish();
      throw err;
    }
    const pump = new FramePump({ capture, encoder: this.encoder, maxFps: this.opts.maxFps ?? 30, refineAfterMs: this.opts.refineAfterMs, ...(this.opts.adapt === false ? { flow: new VideoFlow() } : {}), sendVideo: (bytes) => port.sendData(LogicalChannel.video, bytes) });
    this.pump = pump;
    this.offs.push(
      pump.on('configured', (c) => this.send({ type: 'video-config', ...c })),
      pump.on('frame', (f) => this.emit('frame', f)),
      pump.on('rate', (r) => {
        this.send({ type: 'video-rate', ...r });
        this.emit('rate', r);
        if (r.scale !== this.cursorScale) {
          this.cursorScale = r.scale;
          this.cursor?.resend();
        }
      }),
      pump.on('failed', (err) => {
        this.log.error({ err }, 'screen: sending video failed');
        this.emit('failed', err);
        this.send({ type: 'video-stop' });
        this.finish();
      }),
      capture.on('damage', () => pump.changed()),
      capture.on('monitors', () => {
        this.sendMonitors();
        this.cursor?.resend();
        pump.keyframe();
      }),
      capture.on('closed', (err) => {
        this.log.error({ err }, 'screen: the display went away');
        this.send({ type: 'video-stop' });
        this.finish();
      }),
    );
    this.cursor = new CursorTracker(capture, (m) => this.send(this.scaleCursor(m)), () => capture.selected, this.opts.pointerHz ?? 30);
    this.sendMonitors();
    this.log.info({ method: capture.method, methodReason: capture.methodReason, monitors: capture.monitors.length }, 'screen: capturing');
    this.emit('started', { method: capture.method, monitors: [...capture.monitors] });
    pump.keyframe();
    await this.cursor.start();
  }

  handleControl(message: ControlMessage): void {
    const pump = this.pump;
    if (this.state !== 'running' || !pump) return;
    if (message.type === 'video-ack') pump.acked(message.frameId);
    else if (message.type === 'keyframe-request') pump.keyframe();
    else if (message.type === 'screen-select-monitor') this.selectMonitor(message.id);
  }

  async stop(): Promise<void> {
    this.finish();
    const encoder = this.encoder;
    this.encoder = undefined;
    await encoder?.close().catch(() => undefined);
  }

  private selectMonitor(id: string): void {
    const capture = this.capture!;
    if (id === capture.selected.id || !capture.select(id)) return this.sendMonitors();
    this.sendMonitors();
    this.cursor?.resend();
    this.pump!.keyframe();
  }

  private sendMonitors(): void {
    const capture = this.capture;
    if (!capture) return;
    const monitors = capture.monitors.map((m) => ({ id: m.id, name: m.name.slice(0, 80), primary: m.primary, x: m.x, y: m.y, width: m.width, height: m.height }));
    this.send({ type: 'screen-monitors', monitors: monitors.slice(0, 16), selected: capture.selected.id });
  }

  /** the pointer in pixels of the video: halved with the picture */
  private scaleCursor(m: ControlMessage): ControlMessage {
    const s = this.cursorScale;
    return m.type === 'cursor-position' && s !== 1 ? { ...m, x: Math.round(m.x * s), y: Math.round(m.y * s) } : m;
  }

  private send(message: ControlMessage): void {
    this.port?.sendControl(message).catch(() => undefined);
  }

  private finish(): void {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    for (const off of this.offs.splice(0)) off();
    this.pump?.stop();
    this.cursor?.stop();
    this.capture?.close();
    void this.encoder?.close();
  }
}

/** The screen feature for runFeatures(); see ScreenFeatureOptions. */
export const screenFeature = (opts: ScreenFeatureOptions = {}): ScreenFeature => new ScreenFeature(opts);
