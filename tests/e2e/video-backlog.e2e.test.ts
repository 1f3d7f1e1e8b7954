import { spawnProgram } from '@fernhilfe/programs';
import type { CustomerEndpoint, SecureSession } from '@fernhilfe/client';
import { LogicalChannel, encodeVideoFrame, type ControlMessage } from '@fernhilfe/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { TECH_LOGIN, TECH_PASSWORD } from '../support/server.js';
import { openPage, poll } from './support/browser.js';
import { technicianConnects, technicianSignsIn } from './support/flows.js';
import { browserSuite } from './support/suite.js';

const SIZE = { width: 1280, height: 800 };
/** frames 0..GOP-1 are one keyframe and its deltas, GOP starts the next */
const GOP = 45;
const PACED = 5;

/** H.264 access units of a moving test picture (ffmpeg's testsrc2), a keyframe every GOP frames. */
async function encodeTestVideo(frames: number): Promise<Buffer[]> {
  const ff = spawnProgram(
    'ffmpeg',
    ['-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc2=size=${SIZE.width}x${SIZE.height}:rate=30`, '-frames:v', String(frames),
      '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-profile:v', 'baseline', '-pix_fmt', 'yuv420p',
      '-g', String(GOP), '-x264-params', 'aud=1', '-f', 'h264', '-'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const chunks: Buffer[] = [];
  ff.stdout!.on('data', (c: Buffer) => chunks.push(c));
  const code = await new Promise<number | null>((resolve) => ff.once('exit', resolve));
  expect(code, 'ffmpeg encoded the test video').toBe(0);
  const all = Buffer.concat(chunks);
  const aud = Buffer.from([0, 0, 0, 1, 9]);
  const units: Buffer[] = [];
  for (let at = all.indexOf(aud); at >= 0; ) {
    const next = all.indexOf(aud, at + 1);
    units.push(all.subarray(at, next < 0 ? all.length : next));
    at = next;
  }
  return units;
}

/**
 * Decoding never falls behind, in the real console with Chromium's WebCodecs: after a stall the
 * customer's side delivers a backlog of 40 delta frames at once (as TCP does after a lossy stretch).
 * The console hands a frame to the VideoDecoder only while the decoder's own queue is empty, asks for
 * a keyframe if it had to drop (the customer answers it, as the agent does), acknowledges every frame of
 * the backlog (the newest ack covers the dropped ones), and draws every frame again after the keyframe.
 */
describe('a backlog of frames in the console', () => {
  const suite = browserSuite();
  let customer: CustomerEndpoint | undefined;

  afterAll(async () => {
    await customer?.end().catch(() => undefined);
  });

  it('drops what would queue, asks for one keyframe, acknowledges every frame, and is current after the keyframe', async () => {
    const units = await encodeTestVideo(GOP + PACED + 1);
    expect(units).toHaveLength(GOP + PACED + 1);

    const tech = await openPage(suite.browser, 'console', { locale: 'en-US', viewport: { width: 1400, height: 900 } });
    suite.pages.push(tech);
    // watches the page's VideoDecoder from outside the app: the decoder's queue at each decode() call
    await tech.context.addInitScript(() => {
      const seen = { deltas: 0, maxQueue: 0 };
      Object.defineProperty(window, '__decodes', { value: seen });
      const decode = VideoDecoder.prototype.decode;
      VideoDecoder.prototype.decode = function (this: VideoDecoder, chunk: EncodedVideoChunk) {
        if (chunk.type === 'delta') seen.deltas++;
        seen.maxQueue = Math.max(seen.maxQueue, this.decodeQueueSize);
        return decode.call(this, chunk);
      };
    });
    const { page } = tech;
    customer = await suite.srv.customer();
    const sessionP = customer.once('session');
    await technicianSignsIn(page, suite.srv.url, TECH_LOGIN, TECH_PASSWORD);
    await technicianConnects(page, { id: customer.id, password: customer.password! });
    const session: SecureSession = await sessionP;
    const heard: ControlMessage[] = [];
    session.on('control', (m) => heard.push(m));
    const acked = () => Math.max(-1, ...heard.flatMap((m) => (m.type === 'video-ack' ? [m.frameId] : [])));
    const decoderSeen = () => page.evaluate(() => (window as unknown as { __decodes: { deltas: number; maxQueue: number } }).__decodes);
    const send = (id: number) =>
      session.sendData(LogicalChannel.video, encodeVideoFrame({ frameId: id, keyframe: id % GOP === 0, captureTime: Date.now(), data: new Uint8Array(units[id]!) }));
    const sendPaced = async (ids: number[]) => {
      for (const id of ids) {
        await send(id);
        await poll(async () => acked() >= id, 10_000, () => `the ack of frame ${id}; heard ${JSON.stringify(heard.slice(-5))}`);
      }
    };

    await session.sendControl({ type: 'video-config', codec: 'avc1.42E01F', width: SIZE.width, height: SIZE.height });
    await sendPaced([0, 1, 2, 3, 4]);

    // the backlog: frames 5..44 (all deltas) at once; like a real sender, the customer answers the first
    // keyframe-request with the next frame, a keyframe (sent after the backlog: the channel keeps order)
    const before = heard.length;
    const deltasBefore = (await decoderSeen()).deltas;
    let answered = false;
    const answer = () => {
      if (answered) return;
      answered = true;
      void send(GOP);
    };
    session.on('control', (m) => {
      if (m.type === 'keyframe-request') answer();
    });
    const burst = Array.from({ length: GOP - PACED }, (_, i) => PACED + i);
    await Promise.all(burst.map(send));
    await poll(async () => acked() >= GOP - 1, 10_000, () => `an ack covering the whole backlog; heard ${JSON.stringify(heard.slice(-5))}`);
    answer(); // nothing was dropped, nothing asked for: the sender's next frame anyway
    await poll(async () => acked() >= GOP, 10_000, () => `the ack of the keyframe; heard ${JSON.stringify(heard.slice(-5))}`);
    const decoded = (await decoderSeen()).deltas - deltasBefore;
    const requests = heard.slice(before).filter((m) => m.type === 'keyframe-request').length;
    expect(decoded).toBeLessThanOrEqual(burst.length);
    // dropped anything: one keyframe-request (a second only if the keyframe took over 500 ms to come, on
    // a loaded machine; the unit tests pin the exact rule with a fake clock); nothing dropped: none
    if (decoded < burst.length) expect(requests).toBeGreaterThanOrEqual(1);
    expect(requests).toBeLessThanOrEqual(decoded < burst.length ? 2 : 0);

    // paced frames after the keyframe: each is drawn and acknowledged by itself again
    const acksBefore = heard.length;
    await sendPaced([GOP + 1, GOP + 2, GOP + 3, GOP + 4, GOP + 5]);
    const acks = heard.slice(acksBefore).flatMap((m) => (m.type === 'video-ack' ? [m.frameId] : []));
    expect(acks).toEqual([GOP + 1, GOP + 2, GOP + 3, GOP + 4, GOP + 5]);
    // never did a frame go into the decoder behind another one waiting in its queue
    expect((await decoderSeen()).maxQueue).toBe(0);
    console.log(`backlog of ${burst.length} frames: ${decoded} decoded, ${burst.length - decoded} dropped, ${requests} keyframe request(s)`);
  });
});
