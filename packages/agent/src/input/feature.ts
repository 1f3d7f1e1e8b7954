import { LogicalChannel, decodeInputEvent, type InputEvent } from '@fernhilfe/protocol';
import type { Consent } from '../consent/consent.js';
import type { AgentFeature, SessionPort } from '../session/feature.js';
import type { InputInjector } from './injector.js';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where the shared video frame sits on the desktop: the monitor shown, and the frame's pixel size. */
export interface FrameGeometry {
  monitor: Rect;
  frame: { width: number; height: number };
}

export interface InputLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface InputFeatureOptions {
  consent: Consent;
  /** opens the platform's injector (X11Injector.open for Linux/X11) */
  openInjector: () => Promise<InputInjector>;
  /** the shared monitor and frame size (from the screen feature); default: the whole desktop, 1:1 */
  geometry?: () => FrameGeometry;
  /** after local mouse or keyboard use, remote input is ignored this long (ms) */
  localQuietMs?: number;
  /** how often local use is checked while control is granted (ms) */
  pollMs?: number;
  log?: InputLog;
  now?: () => number;
}

const quietLog: InputLog = { warn: () => undefined, error: () => undefined };

/**
 * Remote mouse and keyboard (LogicalChannel.input). Events are injected only while the customer has
 * granted control; each is queued behind the one before so order holds. Local input always wins:
 * while the customer moves the mouse, clicks or types (checked every `pollMs`), remote presses and
 * moves are dropped for `localQuietMs`, and what the technician held is released. When control ends
 * (revoked, released, session over, stop) every held key and button is released.
 */
export class InputFeature implements AgentFeature {
  readonly name = 'input';
  private injector: InputInjector | undefined;
  private queue: Promise<void> = Promise.resolve();
  private stopping = false;
  private quietUntil = 0;
  private poll: ReturnType<typeof setInterval> | undefined;
  private polling = false;
  private offConsent: (() => void) | undefined;
  private badFrames = 0;
  private readonly log: InputLog;
  private readonly now: () => number;

  constructor(private readonly opts: InputFeatureOptions) {
    this.log = opts.log ?? quietLog;
    this.now = opts.now ?? Date.now;
  }

  async start(_port: SessionPort): Promise<void> {
    // the queue waits for the injector: input that comes while the X connection is still opening is
    // injected once it is open, not dropped (a grant can come before that, e.g. on a slow display)
    const opening = this.opts.openInjector();
    this.queue = opening.then(
      async (inj) => {
        if (this.stopping) await inj.close().catch(() => undefined); // the session ended while it opened
        else this.injector = inj;
      },
      () => undefined,
    );
    this.offConsent = this.opts.consent.on('changed', (state) => {
      if (state.control) this.startPolling();
      else this.endControl();
    });
    await opening;
    await this.queue;
    if (this.opts.consent.isGranted('control')) this.startPolling();
  }

  handleData(channel: LogicalChannel, bytes: Uint8Array): void {
    if (channel !== LogicalChannel.input) return;
    const decoded = decodeInputEvent(bytes);
    if (!decoded.ok) {
      if (this.badFrames++ === 0) this.log.warn({ reason: decoded.error.message }, 'dropped a malformed input event');
      return;
    }
    const event = decoded.value;
    if (event.type === 'release-all') return this.enqueue((inj) => inj.releaseAll());
    if (!this.opts.consent.isGranted('control')) return;
    if (this.now() < this.quietUntil && !isRelease(event)) return;
    this.enqueue((inj) => this.inject(inj, event));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.offConsent?.();
    this.offConsent = undefined;
    this.stopPolling();
    const injector = this.injector;
    this.injector = undefined;
    await this.queue;
    await injector?.close().catch((err: unknown) => this.log.error({ err }, 'closing the input injector failed'));
  }

  private inject(inj: InputInjector, e: Exclude<InputEvent, { type: 'release-all' }>): Promise<void> {
    switch (e.type) {
      case 'pointer-move':
        return this.moveTo(inj, e.x, e.y);
      case 'pointer-button':
        return this.moveTo(inj, e.x, e.y).then(() => inj.button(e.button, e.down));
      case 'wheel':
        return this.moveTo(inj, e.x, e.y).then(() => inj.wheel(e.dx, e.dy));
      case 'key':
        return inj.key(e.code, e.key, e.down);
    }
  }

  /** frame pixels -> desktop pixels of the shared monitor */
  private moveTo(inj: InputInjector, fx: number, fy: number): Promise<void> {
    const g = this.opts.geometry?.() ?? { monitor: { x: 0, y: 0, ...inj.screen }, frame: inj.screen };
    const sx = g.frame.width > 0 ? g.monitor.width / g.frame.width : 1;
    const sy = g.frame.height > 0 ? g.monitor.height / g.frame.height : 1;
    const x = g.monitor.x + Math.min(g.monitor.width - 1, Math.max(0, fx * sx));
    const y = g.monitor.y + Math.min(g.monitor.height - 1, Math.max(0, fy * sy));
    return inj.move(x, y);
  }

  private enqueue(fn: (inj: InputInjector) => Promise<void>): void {
    this.queue = this.queue.then(async () => {
      const inj = this.injector;
      if (!inj) return;
      try {
        await fn(inj);
      } catch (err) {
        this.log.error({ err }, 'injecting input failed');
      }
    });
  }

  private endControl(): void {
    this.stopPolling();
    this.enqueue((inj) => inj.releaseAll());
  }

  private startPolling(): void {
    if (this.poll) return;
    this.quietUntil = 0;
    // a first look sets the baseline (where the pointer is now), then every pollMs
    this.enqueue(async (inj) => void (await inj.localInputSince()));
    this.poll = setInterval(() => this.checkLocal(), this.opts.pollMs ?? 100);
    this.poll.unref?.();
  }

  private stopPolling(): void {
    clearInterval(this.poll);
    this.poll = undefined;
  }

  /** Runs in the queue, so nothing we inject interleaves with the look: a difference is the customer's own doing. */
  private checkLocal(): void {
    if (this.polling) return;
    this.polling = true;
    this.enqueue(async (inj) => {
      try {
        if (!(await inj.localInputSince())) return;
        const wasQuiet = this.now() < this.quietUntil;
        this.quietUntil = this.now() + (this.opts.localQuietMs ?? 1000);
        if (!wasQuiet) await inj.releaseAll();
      } finally {
        this.polling = false;
      }
    });
  }
}

function isRelease(e: InputEvent): boolean {
  return (e.type === 'key' || e.type === 'pointer-button') && !e.down;
}

export const inputFeature = (opts: InputFeatureOptions): InputFeature => new InputFeature(opts);
