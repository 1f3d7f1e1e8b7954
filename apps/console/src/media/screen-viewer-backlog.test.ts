import type { ControlMessage } from '@fernhilfe/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ScreenViewer } from './screen-viewer';
import { fakeCanvas, fakeDecoders, videoFrame as frame, type FakeDecoder } from './testing/fake-decoder';

const flush = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Decoding never falls behind: a decoder whose output lags (the fake outputs only when told) and frames
 * that arrive in a burst, as TCP delivers a backlog after a stall.
 */
describe('ScreenViewer behind a slow decoder', () => {
  let sent: ControlMessage[];
  let factory: ReturnType<typeof fakeDecoders>;
  let draws: Array<() => void>;
  let now: number;
  let viewer: ScreenViewer;
  let canvas: ReturnType<typeof fakeCanvas>;
  let decoder: FakeDecoder;
  const kinds = () => sent.map((m) => (m.type === 'video-ack' ? `ack ${m.frameId}` : m.type));
  const types = () => decoder.chunks.map((c) => c.type);
  const requests = () => kinds().filter((k) => k === 'keyframe-request').length;
  /** frames 1 and 2 fill the decoder (no picture yet), 3 is dropped and asked a keyframe for */
  const fallBehind = () => [1, 2, 3].forEach((id) => viewer.handleVideo(frame(id, false)));
  /** the draws the viewer scheduled run (the end of the browser's task) */
  const runDraws = () => draws.splice(0).forEach((draw) => draw());

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    sent = [];
    draws = [];
    factory = fakeDecoders();
    now = 0;
    canvas = fakeCanvas();
    viewer = new ScreenViewer({ sendControl: (m) => sent.push(m) }, { decoders: factory, now: () => now, wallClock: () => 1040, scheduleDraw: (d) => draws.push(d) });
    viewer.attach(canvas);
    viewer.handleControl({ type: 'video-config', codec: 'avc1.42E01F', width: 1280, height: 720 });
    await flush();
    decoder = factory.decoders[0]!;
    now = 1000;
    viewer.handleVideo(frame(0, true));
    decoder.output(0);
    runDraws();
    sent = [];
  });
  afterEach(() => {
    viewer.close();
    vi.useRealTimers();
  });

  it('a backlog: drops the deltas that would queue, asks for one keyframe, and acknowledges every frame in order', () => {
    for (let id = 1; id <= 6; id++) viewer.handleVideo(frame(id, false));
    // frame 1 is being decoded, 2 waits behind it; 3..6 would queue further and are dropped
    expect(types()).toEqual(['key', 'delta', 'delta']);
    // no ack for 3..6 yet: acks are cumulative, and 1 and 2 are still in the decoder, which is told
    // to put them out now (once)
    expect(kinds()).toEqual(['keyframe-request']);
    expect(decoder.flushes).toBe(1);
    decoder.output(1);
    runDraws();
    decoder.output(2);
    runDraws();
    // 1 and 2 drawn; the dropped run 3..6 is covered by one ack of its newest
    expect(kinds()).toEqual(['keyframe-request', 'ack 1', 'ack 2', 'ack 6']);
    // deltas go on being dropped until the keyframe, and are acknowledged at once; no second request
    viewer.handleVideo(frame(7, false));
    viewer.handleVideo(frame(8, false));
    expect(types()).toHaveLength(3);
    expect(kinds().slice(4)).toEqual(['ack 7', 'ack 8']);
    viewer.handleVideo(frame(9, true));
    viewer.handleVideo(frame(10, false));
    expect(types()).toEqual(['key', 'delta', 'delta', 'key', 'delta']);
    decoder.output(3);
    decoder.output(4);
    runDraws();
    expect(kinds().filter((k) => k === 'keyframe-request')).toHaveLength(1);
    expect(kinds().slice(6)).toEqual(['ack 9', 'ack 10']);
  });

  it('the decoder\'s own queue counts: a frame that would wait in it is dropped', () => {
    viewer.handleVideo(frame(1, false));
    decoder.decodeQueueSize = 1;
    viewer.handleVideo(frame(2, false));
    expect(types()).toEqual(['key', 'delta']);
    expect(kinds()).toEqual(['keyframe-request']);
  });

  it('a keyframe that arrives while the decoder is behind resets it and is decoded at once', () => {
    viewer.handleVideo(frame(1, false));
    viewer.handleVideo(frame(2, false));
    viewer.handleVideo(frame(3, true));
    expect(decoder.resets).toBe(1);
    expect(types()).toEqual(['key', 'delta', 'delta', 'key']);
    // 1 and 2 are gone with the reset: acknowledged as dropped, by the newer of them
    expect(kinds()).toEqual(['ack 2']);
    // a late picture from before the reset is not drawn
    const late = decoder.output(2);
    runDraws();
    expect(late.closed).toBe(true);
    expect(canvas.drawn).toEqual([decoder.chunks[0]!.timestamp]);
    decoder.output(3);
    runDraws();
    expect(canvas.drawn).toEqual([decoder.chunks[0]!.timestamp, decoder.chunks[3]!.timestamp]);
    expect(kinds()).toEqual(['ack 2', 'ack 3']);
  });

  it('draws only the newest decoded picture, and a picture not drawn yet counts as held', () => {
    viewer.handleVideo(frame(1, false));
    viewer.handleVideo(frame(2, false));
    const older = decoder.output(1);
    const newer = decoder.output(2);
    // both decoded before the draw ran: the older one is closed undrawn
    expect(older.closed).toBe(true);
    expect(newer.closed).toBe(false);
    viewer.handleVideo(frame(3, false));
    expect(types()).toEqual(['key', 'delta', 'delta', 'delta']);
    viewer.handleVideo(frame(4, false)); // 2 waits to be drawn and 3 is in the decoder: 4 would queue
    expect(types()).toHaveLength(4);
    runDraws();
    expect(canvas.drawn).toEqual([decoder.chunks[0]!.timestamp, decoder.chunks[2]!.timestamp]);
    expect(newer.closed).toBe(true);
    expect(kinds()).toEqual(['ack 1', 'keyframe-request', 'ack 2']);
  });

  it('asks for a keyframe again only after a gap, longer while one is on its way over a slow link', () => {
    fallBehind(); // request at t=1000
    now = 1400;
    viewer.handleVideo(frame(4, false));
    expect(requests()).toBe(1);
    now = 1600;
    viewer.handleVideo(frame(5, false)); // 600 ms later and no keyframe yet: ask again
    expect(requests()).toBe(2);
    now = 2500;
    viewer.handleVideo(frame(6, true)); // the keyframe took 1.5 s from the first request
    decoder.output(1);
    decoder.output(2);
    decoder.output(3);
    runDraws();
    now = 2600;
    viewer.handleVideo(frame(7, false));
    viewer.handleVideo(frame(8, false));
    viewer.handleVideo(frame(9, false)); // behind again: a new request (the last one was answered)
    expect(requests()).toBe(3);
    now = 4000;
    viewer.handleVideo(frame(10, false)); // 1.4 s: the last keyframe took 1.5 s, this one may be on its way
    expect(requests()).toBe(3);
    now = 4900;
    viewer.handleVideo(frame(11, false)); // 2.3 s > 1.5 x 1.5 s: ask again
    expect(requests()).toBe(4);
  });

  it('a request held back by the gap goes out from the once-a-second tick when no more frames come (a still screen)', () => {
    fallBehind(); // request at t=1000
    now = 1200;
    viewer.handleVideo(frame(4, false)); // held back: the first may be on its way
    expect(requests()).toBe(1);
    now = 1300;
    vi.advanceTimersByTime(1000); // tick: the gap has not passed yet
    expect(requests()).toBe(1);
    now = 1600;
    vi.advanceTimersByTime(1000);
    expect(requests()).toBe(2);
    now = 1700;
    viewer.handleVideo(frame(5, true)); // answered: nothing more to send on the next tick
    now = 2800;
    vi.advanceTimersByTime(1000);
    expect(requests()).toBe(2);
  });

  it('asks at once when the last request was answered, even right after it', () => {
    viewer.start(); // forced, t=1000; the keyframe from beforeEach answered the one before
    viewer.handleVideo(frame(1, true));
    now = 1100;
    viewer.handleVideo(frame(2, false));
    viewer.handleVideo(frame(3, false));
    viewer.handleVideo(frame(4, false)); // dropped 100 ms after the last request, which a keyframe answered
    expect(requests()).toBe(2);
  });
});
