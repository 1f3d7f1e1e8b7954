import { encodeVideoFrame } from '@fernhilfe/protocol';
import type { DecoderFactory } from '../webcodecs';

/** A decoded picture as the fake hands it out; `closed` tells whether the viewer released it. */
export interface FakePicture {
  timestamp: number;
  displayWidth: number;
  displayHeight: number;
  closed: boolean;
  close(): void;
}

/**
 * Behaves like WebCodecs' VideoDecoder where the viewer relies on it, for tests in Node (no
 * WebCodecs there). Nothing comes out by itself: the test decides when the decoder outputs a picture
 * (`output(index)`), so it can make the decoder lag behind the frames that arrive.
 */
export class FakeDecoder {
  state: CodecState = 'unconfigured';
  decodeQueueSize = 0;
  readonly chunks: EncodedVideoChunkInit[] = [];
  resets = 0;
  flushes = 0;
  constructor(readonly init: VideoDecoderInit) {}
  configure(): void {
    this.state = 'configured';
  }
  decode(chunk: EncodedVideoChunkInit): void {
    if (this.state !== 'configured') throw new DOMException('not configured', 'InvalidStateError');
    this.chunks.push(chunk);
  }
  /** resolves at once: the pictures still come when the test says */
  flush(): Promise<void> {
    this.flushes++;
    return Promise.resolve();
  }
  reset(): void {
    this.resets++;
    this.state = 'unconfigured';
  }
  close(): void {
    this.state = 'closed';
  }
  /** the decoder produced a picture for the chunk at `index` */
  output(index: number): FakePicture {
    const picture: FakePicture = {
      timestamp: this.chunks[index]!.timestamp,
      displayWidth: 1280,
      displayHeight: 720,
      closed: false,
      close: () => void (picture.closed = true),
    };
    this.init.output(picture as unknown as VideoFrame);
    return picture;
  }
  fail(): void {
    this.state = 'closed';
    this.init.error(new DOMException('broken stream', 'EncodingError'));
  }
}

/** A DecoderFactory over FakeDecoders; `decoders` lists every one created, `supported` answers isSupported. */
export function fakeDecoders(): DecoderFactory & { decoders: FakeDecoder[]; supported: boolean } {
  const factory = {
    decoders: [] as FakeDecoder[],
    supported: true,
    isSupported: async () => factory.supported,
    create: (init: VideoDecoderInit) => {
      const d = new FakeDecoder(init);
      factory.decoders.push(d);
      return d as unknown as VideoDecoder;
    },
    chunk: (init: EncodedVideoChunkInit) => init as unknown as EncodedVideoChunk,
  };
  return factory;
}

/** An encoded video frame as it comes from the channel. */
export const videoFrame = (frameId: number, keyframe: boolean, captureTime = 1000) =>
  encodeVideoFrame({ frameId, keyframe, captureTime, data: new Uint8Array([0, 0, 0, 1, keyframe ? 0x65 : 0x41, 1, 2, 3]) });

/** A canvas that records what is drawn on it (the timestamps of the pictures). */
export function fakeCanvas(): HTMLCanvasElement & { drawn: number[] } {
  const drawn: number[] = [];
  const canvas = { width: 0, height: 0, drawn, getContext: () => ({ drawImage: (p: FakePicture) => void drawn.push(p.timestamp) }) };
  return canvas as unknown as HTMLCanvasElement & { drawn: number[] };
}
