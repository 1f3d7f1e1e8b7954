export interface AckPolicyOptions {
  /** acknowledge after this many frames … */
  frames: number;
  /** … or this many bytes … */
  bytes: number;
  /** … or when no frame came for this long, whichever comes first */
  quietMs: number;
}

export const DEFAULT_ACK_POLICY: AckPolicyOptions = { frames: 32, bytes: 2 * 1024 * 1024, quietMs: 50 };

/**
 * When to tell the peer what arrived: after every ~32 frames (or 2 MiB, so that a peer sending large
 * frames never fills its retransmit buffer before hearing back), or after 50 ms of quiet. One timer at
 * most, re-armed lazily, so a busy stream costs no timer per frame.
 */
export class AckPolicy {
  private frames = 0;
  private bytes = 0;
  private last = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly send: () => void,
    private readonly opts: AckPolicyOptions = DEFAULT_ACK_POLICY,
  ) {}

  /** A frame of `size` bytes was opened. */
  received(size: number): void {
    this.frames++;
    this.bytes += size;
    this.last = Date.now();
    if (this.frames >= this.opts.frames || this.bytes >= this.opts.bytes) return this.flush();
    this.timer ??= setTimeout(() => this.onTimer(), this.opts.quietMs);
  }

  /** Nothing is owed any more (a SYNC carries the count, or the path is down). */
  reset(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.frames = 0;
    this.bytes = 0;
  }

  private onTimer(): void {
    this.timer = undefined;
    if (this.frames === 0) return;
    const quiet = Date.now() - this.last;
    if (quiet < this.opts.quietMs) this.timer = setTimeout(() => this.onTimer(), this.opts.quietMs - quiet);
    else this.flush();
  }

  private flush(): void {
    this.reset();
    this.send();
  }
}
