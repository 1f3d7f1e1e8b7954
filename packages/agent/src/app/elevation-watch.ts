import type { CustomerFlow } from '@fernhilfe/client';
import type { DesktopElevation } from '../platform/types.js';
import type { Log } from './log.js';

/** how often the desktop is looked at while a session is active (a few cheap system calls) */
const EVERY_MS = 1_000;

/** Where the platform says who runs elevated, and how the program starts again elevated (Windows: platform/windows/). */
export interface ElevationSource {
  check(): DesktopElevation;
  /** starts this program again as administrator; false when it did not start (the customer said no) */
  restart(): Promise<boolean>;
}

/**
 * Watches, while a session is active, whether the window in front is an administrator's (our input
 * cannot reach it unless we are elevated) or the secure desktop shows; tells the face when that
 * changes. `restart()` is the customer's "Restart as administrator": the program starts again
 * elevated and this session ends (the new one has a new ID and password).
 */
export class ElevationWatch {
  private last: DesktopElevation | undefined;
  private readonly listeners = new Set<(d: DesktopElevation) => void>();
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly flow: CustomerFlow,
    private readonly source: ElevationSource,
    private readonly log: Log,
  ) {
    this.timer = setInterval(() => this.look(), EVERY_MS);
    this.timer.unref();
  }

  get current(): DesktopElevation | undefined {
    return this.last;
  }

  on(listener: (d: DesktopElevation) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async restart(): Promise<void> {
    if (this.flow.state.phase === 'ended') return;
    if (await this.source.restart()) {
      this.log.info({}, 'started again as administrator: this session ends');
      await this.flow.end();
    } else this.log.warn({}, 'the program could not start again as administrator');
  }

  close(): void {
    clearInterval(this.timer);
    this.listeners.clear();
  }

  private look(): void {
    if (this.flow.state.phase !== 'active') return;
    let now: DesktopElevation;
    try {
      now = this.source.check();
    } catch (err) {
      this.log.warn({ err }, 'cannot tell whether the window in front is elevated');
      return this.close();
    }
    const l = this.last;
    if (l && l.foregroundElevated === now.foregroundElevated && l.selfElevated === now.selfElevated && l.secureDesktop === now.secureDesktop) return;
    this.last = now;
    this.log.info({ ...now }, 'what input can reach changed');
    for (const listener of [...this.listeners]) listener(now);
  }
}
