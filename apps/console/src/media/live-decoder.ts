import type { VideoFrame as EncodedFrame } from '@fernhilfe/protocol';
import type { DecoderFactory } from './webcodecs';

/** A decoded picture and the frame it came from; whoever receives it closes `frame`. */
export interface DecodedPicture {
  frame: VideoFrame;
  frameId: number;
  captureTime: number;
}

export interface LiveDecoderEvents {
  /** the newest decoded picture: draw it now */
  picture(picture: DecodedPicture): void;
  /** frames that will never be drawn: discarded by a reset or close, or overtaken by a newer picture */
  dropped(...frameIds: number[]): void;
  /** the decoder failed; it is unusable now */
  error(): void;
}

/**
 * When the decoder is behind, so that a new delta is dropped and a keyframe asked for instead: when
 * MAX_HELD frames have no picture on the canvas yet (in the decoder, or decoded and not drawn), or when
 * two or more do and the oldest of them went into the decoder MAX_LAG_MS ago. The sender's frame
 * window (packages/protocol/src/video/flow.ts: the path's round trip in frames plus one, 2 on a LAN)
 * keeps the queue short; this is the safety net for a decoder that is stuck or a backlog after a stall.
 * Not "one more waiting behind the one being decoded" (the rule before): a software decoder whose
 * page was busy for a moment, or a burst of frames 8 ms apart, then dropped a delta every few hundred
 * milliseconds, and the keyframe it asked for (tens of KB at 1080p, slower to decode) put it behind
 * again: on the quiet bench machine 25 keyframes in 15 s of typing, and the late acks walked the rate
 * control down to half size (docs/agent-screen.md, "The viewer's backlog"). A keyframe costs a round
 * trip and the biggest frame there is; a short queue costs a few milliseconds.
 */
const MAX_HELD = 8;
const MAX_LAG_MS = 500;

/**
 * One WebCodecs VideoDecoder kept current. It tells the viewer when it is `behind` (frames queue in it
 * for too long: MAX_HELD without a picture, or the oldest of two or more held for MAX_LAG_MS), so
 * the viewer can drop delta frames instead, and `reset()` discards what it holds so a keyframe is
 * decoded at once. Only the newest decoded picture is handed out: pictures are drawn at the end of the
 * task they were decoded in (`schedule`), and a picture overtaken by a newer one before that is closed
 * undrawn. Timestamps are our own counter, so they increase whatever the sender does.
 */
export class LiveDecoder {
  private readonly decoder: VideoDecoder;
  /** chunk timestamp -> the frame it came from, for chunks without a picture yet */
  private readonly inDecoder = new Map<number, { frameId: number; captureTime: number; at: number }>();
  private waiting: (DecodedPicture & { at: number }) | undefined;
  private nextTimestamp = 0;
  private failed = false;
  private flushing = false;

  constructor(
    private readonly decoders: DecoderFactory,
    private readonly config: VideoDecoderConfig,
    private readonly events: LiveDecoderEvents,
    private readonly schedule: (draw: () => void) => void = (draw) => queueMicrotask(draw),
    private readonly now: () => number = () => performance.now(),
  ) {
    const decoder: VideoDecoder = decoders.create({
      output: (frame) => this.output(decoder, frame),
      error: () => {
        if (decoder !== this.decoder || this.failed) return;
        this.failed = true;
        events.error();
        this.dropAll();
      },
    });
    this.decoder = decoder;
    try {
      decoder.configure(config);
    } catch (err) {
      decoder.close();
      throw err;
    }
  }

  /** Configured and not failed: frames can go in. */
  get usable(): boolean {
    return !this.failed && this.decoder.state === 'configured';
  }

  /** Frames given to the decoder that have not been drawn yet. */
  get held(): number {
    return this.inDecoder.size + (this.waiting ? 1 : 0);
  }

  /** A new frame would queue behind others for too long: the decoder lags (see MAX_HELD, MAX_LAG_MS). */
  get behind(): boolean {
    const held = this.held;
    if (held >= MAX_HELD) return true;
    if (held < 2) return false;
    // chunks go in (and come out) in order: the picture not drawn, else the first still in the map, is the oldest
    const oldest = this.waiting?.at ?? this.inDecoder.values().next().value?.at;
    return oldest !== undefined && this.now() - oldest >= MAX_LAG_MS;
  }

  /** Hands a frame to the decoder; false when the decoder refused it (then it is unusable). */
  decode(frame: EncodedFrame): boolean {
    const timestamp = this.nextTimestamp;
    this.nextTimestamp += 1000; // µs
    this.inDecoder.set(timestamp, { frameId: frame.frameId, captureTime: frame.captureTime, at: this.now() });
    try {
      this.decoder.decode(this.decoders.chunk({ type: frame.keyframe ? 'key' : 'delta', timestamp, data: frame.data }));
      return true;
    } catch {
      this.failed = true;
      this.dropAll();
      return false;
    }
  }

  /**
   * Makes the decoder output what it holds now, rather than when later frames push it out (some
   * decoders keep a frame or two back); the next frame must be a keyframe. For when frames are dropped.
   */
  flush(): void {
    if (this.failed || this.flushing || this.inDecoder.size === 0 || this.decoder.state !== 'configured') return;
    this.flushing = true;
    this.decoder.flush().then(
      () => (this.flushing = false),
      () => (this.flushing = false), // aborted by a reset or close
    );
  }

  /** Discards every frame the decoder holds (they count as dropped); the next frame must be a keyframe. */
  reset(): void {
    if (this.failed || this.decoder.state === 'closed') return;
    this.decoder.reset();
    this.dropAll();
    try {
      this.decoder.configure(this.config);
    } catch {
      this.failed = true;
    }
  }

  close(): void {
    this.failed = true;
    if (this.decoder.state !== 'closed') this.decoder.close();
    this.dropAll();
  }

  private output(decoder: VideoDecoder, frame: VideoFrame): void {
    const meta = this.inDecoder.get(frame.timestamp);
    if (decoder !== this.decoder || this.failed || !meta) {
      frame.close(); // from before a reset, or not ours
      return;
    }
    this.inDecoder.delete(frame.timestamp);
    // outputs come in decode order: chunks older than this one will never give a picture
    const gone: number[] = [];
    for (const [timestamp, older] of this.inDecoder) {
      if (timestamp >= frame.timestamp) break;
      this.inDecoder.delete(timestamp);
      gone.push(older.frameId);
    }
    const overtaken = this.waiting;
    this.waiting = { frame, ...meta };
    overtaken?.frame.close();
    if (overtaken) gone.unshift(overtaken.frameId);
    if (gone.length > 0) this.events.dropped(...gone);
    if (overtaken) return; // a draw is scheduled already
    this.schedule(() => {
      const picture = this.waiting;
      this.waiting = undefined;
      if (!picture) return;
      if (this.failed) {
        picture.frame.close();
        this.events.dropped(picture.frameId);
      } else {
        this.events.picture(picture);
      }
    });
  }

  private dropAll(): void {
    const ids = [...this.inDecoder.values()].map((m) => m.frameId);
    this.inDecoder.clear();
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting) {
      waiting.frame.close();
      ids.unshift(waiting.frameId);
    }
    if (ids.length > 0) this.events.dropped(...ids);
  }
}
