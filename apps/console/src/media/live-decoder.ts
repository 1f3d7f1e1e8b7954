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
 * Frames in the decoder without a picture yet (plus a picture not drawn yet) at which the decoder
 * counts as behind: one being decoded is normal, one more waiting behind it is the most we allow
 * (decoding then lags by one frame), a further one would only queue.
 */
const MAX_HELD = 2;

/**
 * One WebCodecs VideoDecoder kept current. It tells the viewer when it is `behind` (a new frame would
 * queue behind others: WebCodecs' own queue holds one, or `MAX_HELD` frames have no picture yet), so
 * the viewer can drop delta frames instead, and `reset()` discards what it holds so a keyframe is
 * decoded at once. Only the newest decoded picture is handed out: pictures are drawn at the end of the
 * task they were decoded in (`schedule`), and a picture overtaken by a newer one before that is closed
 * undrawn. Timestamps are our own counter, so they increase whatever the sender does.
 */
export class LiveDecoder {
  private readonly decoder: VideoDecoder;
  /** chunk timestamp -> the frame it came from, for chunks without a picture yet */
  private readonly inDecoder = new Map<number, { frameId: number; captureTime: number }>();
  private waiting: DecodedPicture | undefined;
  private nextTimestamp = 0;
  private failed = false;
  private flushing = false;

  constructor(
    private readonly decoders: DecoderFactory,
    private readonly config: VideoDecoderConfig,
    private readonly events: LiveDecoderEvents,
    private readonly schedule: (draw: () => void) => void = (draw) => queueMicrotask(draw),
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

  /** A new frame would queue behind others instead of being decoded at once. */
  get behind(): boolean {
    return this.held >= MAX_HELD || this.decoder.decodeQueueSize >= 1;
  }

  /** Hands a frame to the decoder; false when the decoder refused it (then it is unusable). */
  decode(frame: EncodedFrame): boolean {
    const timestamp = this.nextTimestamp;
    this.nextTimestamp += 1000; // µs
    this.inDecoder.set(timestamp, { frameId: frame.frameId, captureTime: frame.captureTime });
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
