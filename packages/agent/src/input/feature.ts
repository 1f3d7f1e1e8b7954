import { LogicalChannel, decodeInputEvent, type InputEvent } from '@fernhilfe/protocol';
import type { Consent } from '../consent/consent.js';
import type { AgentFeature, SessionPort } from '../session/feature.js';
import type { InputInjector, Rect } from '../platform/types.js';
import { InputQueue, type InputDropReason } from './queue.js';

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
  /** opens the platform's injector (platform/types.ts; chosen by the table in platform/index.ts) */
  openInjector: () => Promise<InputInjector>;
  /** the shared monitor and frame size (from the screen feature); default: the whole desktop, 1:1 */
  geometry?: () => FrameGeometry;
  /** after local mouse or keyboard use, remote input is ignored this long (ms) */
  localQuietMs?: number;
  /** how often local use is checked while control is granted (ms) */
  pollMs?: number;
  /** at most this many events wait to be injected; more are dropped (reported in the log) */
  maxQueued?: number;
  log?: InputLog;
  now?: () => number;
}

const quietLog: InputLog = { warn: () => undefined, error: () => undefined };
export const LOCAL_POLL_MS = 50;
export const MAX_QUEUED_EVENTS = 500;

/**
 * Remote mouse and keyboard (LogicalChannel.input). Events are injected only while the customer has
 * granted control; each is queued behind the one before so order holds, and the grant is checked
 * again when its turn comes. Taking control back cancels the queue: nothing sent before is injected
 * after. Local input always wins: while the customer moves the mouse, clicks or types (checked every
 * `pollMs`, beside the queue, not behind it), the queue is cancelled, remote presses and moves are
 * dropped for `localQuietMs`, and what the technician held is released. When control ends (revoked,
 * released, session over, stop) every held key and button is released. At most `maxQueued` events
 * wait; more are dropped with a warning.
 */
export class InputFeature implements AgentFeature {
  readonly name = 'input';
  private injector: InputInjector | undefined;
  private readonly queue: InputQueue;
  private stopping = false;
  private quietUntil = 0;
  private poll: ReturnType<typeof setInterval> | undefined;
  private looking = false;
  /** the last task queued is a release-all: another one right behind it changes nothing */
  private releaseIsLast = false;
  private overflowing = false;
  private offConsent: (() => void) | undefined;
  private badFrames = 0;
  private readonly log: InputLog;
  private readonly now: () => number;

  constructor(private readonly opts: InputFeatureOptions) {
    this.log = opts.log ?? quietLog;
    this.now = opts.now ?? Date.now;
    this.queue = new InputQueue(opts.maxQueued ?? MAX_QUEUED_EVENTS, (err) => this.log.error({ err }, 'injecting input failed'));
  }

  async start(_port: SessionPort): Promise<void> {
    // the queue waits for the injector: input that comes while the X connection is still opening is
    // injected once it is open, not dropped (a grant can come before that, e.g. on a slow display)
    const opening = this.opts.openInjector().then(async (inj) => {
      if (this.stopping) await inj.close().catch(() => undefined); // the session ended while it opened
      else this.injector = inj;
    });
    this.queue.waitFor(opening);
    this.offConsent = this.opts.consent.on('changed', (state) => {
      if (state.control) this.startPolling();
      else this.endControl();
    });
    await opening;
    await this.queue.idle();
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
    if (event.type === 'release-all') return this.releaseAll();
    if (!this.allowed(event)) return;
    const queued = this.queue.push(async (signal) => {
      // checked again when its turn comes: the grant or the customer's quiet may have changed since
      if (!this.allowed(event) || signal.aborted || !this.injector) return;
      await this.inject(this.injector, event, signal);
    });
    if (queued) {
      this.releaseIsLast = false;
      this.overflowing = false;
      return;
    }
    if (!this.overflowing) this.log.warn({ reason: 'queue-full' satisfies InputDropReason, waiting: this.queue.size }, 'dropped remote input: too much is waiting to be injected');
    this.overflowing = true;
    if (isRelease(event)) this.releaseAll(); // a dropped release must not leave a key held
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.offConsent?.();
    this.offConsent = undefined;
    this.stopPolling();
    this.queue.cancel();
    const injector = this.injector;
    await this.queue.idle();
    this.injector = undefined;
    await injector?.close().catch((err: unknown) => this.log.error({ err }, 'closing the input injector failed'));
  }

  private allowed(event: InputEvent): boolean {
    return this.opts.consent.isGranted('control') && (isRelease(event) || this.now() >= this.quietUntil);
  }

  private inject(inj: InputInjector, e: Exclude<InputEvent, { type: 'release-all' }>, signal: AbortSignal): Promise<void> {
    switch (e.type) {
      case 'pointer-move':
        return this.moveTo(inj, e.x, e.y);
      case 'pointer-button':
        return this.moveTo(inj, e.x, e.y).then(() => inj.button(e.button, e.down));
      case 'wheel':
        return this.moveTo(inj, e.x, e.y).then(() => inj.wheel(e.dx, e.dy));
      case 'key':
        return inj.key(e.code, e.key, e.down, signal);
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

  /** Queued even when the queue is full or cancelled: whatever the technician holds goes up. */
  private releaseAll(): void {
    if (this.releaseIsLast) return;
    this.releaseIsLast = true;
    this.queue.push(() => this.injector?.releaseAll(), { cancellable: false, force: true });
  }

  private endControl(): void {
    this.stopPolling();
    this.queue.cancel(); // nothing the technician sent before this is injected after it
    this.releaseAll();
  }

  private startPolling(): void {
    if (this.poll) return;
    this.quietUntil = 0;
    // a first look sets the baseline (where the pointer is now), then every pollMs
    void this.look(true);
    this.poll = setInterval(() => void this.look(false), this.opts.pollMs ?? LOCAL_POLL_MS);
    this.poll.unref?.();
  }

  private stopPolling(): void {
    clearInterval(this.poll);
    this.poll = undefined;
  }

  /**
   * Beside the queue, not in it: a backlog of remote input must not delay noticing the customer's hand.
   * The injector compares with what it had injected when the look was sent (X answers in order), so
   * our own events never count as local.
   */
  private async look(baseline: boolean): Promise<void> {
    const inj = this.injector;
    if (this.looking || !inj) return;
    this.looking = true;
    try {
      if (!(await inj.localInputSince()) || baseline || !this.poll) return;
      const wasQuiet = this.now() < this.quietUntil;
      this.quietUntil = this.now() + (this.opts.localQuietMs ?? 1000);
      if (wasQuiet) return;
      this.queue.cancel();
      this.releaseAll();
    } catch (err) {
      this.log.error({ err }, 'looking for local input failed');
    } finally {
      this.looking = false;
    }
  }
}

function isRelease(e: InputEvent): boolean {
  return (e.type === 'key' || e.type === 'pointer-button') && !e.down;
}

export const inputFeature = (opts: InputFeatureOptions): InputFeature => new InputFeature(opts);
