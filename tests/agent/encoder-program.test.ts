import { beforeAll, describe, expect, it } from 'vitest';
import { builtEncoder, decodeH264, frameInput, meanDiff, parseRecords, runEncoder, testPicture } from './support/encoder-records.js';

/**
 * fernhilfe-encoder, the agent's own H.264 encoder (x264 from Debian's source, our C protocol glue),
 * as the agent runs it: frames in through a pipe, one record per frame out. What comes out is
 * decoded again by the tests' ffmpeg and compared with what went in.
 */
describe('fernhilfe-encoder (linux-x64)', () => {
  let encoder: string;
  const [w, h] = [320, 240];
  const motion = ['--width', String(w), '--height', String(h), '--preset', 'ultrafast', '--crf', '23', '--threads', '0', '--params', 'partitions=i4x4:aq-mode=1:8x8dct=1'];
  beforeAll(() => {
    encoder = builtEncoder('linux-x64');
  }, 600_000);

  it('turns I420 frames into one decodable access unit each, IDR first and where asked for', async () => {
    const pictures = Array.from({ length: 8 }, (_, n) => testPicture(w, h, n));
    const input = Buffer.concat(pictures.map((p, n) => frameInput(p, n === 5)));
    const run = await runEncoder(encoder, motion, input);
    expect([run.code, run.stderr]).toEqual([0, '']);
    const records = parseRecords(run.stdout);
    expect(records.map((r) => r.keyframe)).toEqual([true, false, false, false, false, true, false, false]);
    const { frames, probe } = await decodeH264(Buffer.concat(records.map((r) => r.data)), w, h);
    expect(probe.trim()).toBe('stream|profile=High|width=320|height=240|color_range=pc|color_space=bt709|color_transfer=iec61966-2-1|color_primaries=bt709');
    expect(frames).toHaveLength(8);
    // each decoded picture is close to its own source and not to its neighbour's (the bar moved)
    frames.forEach((f, n) => {
      expect(meanDiff(f, pictures[n]!), `frame ${n} against its source`).toBeLessThan(2);
      if (n > 0) expect(meanDiff(f, pictures[n - 1]!), `frame ${n} against frame ${n - 1}'s source`).toBeGreaterThan(4);
    });
    // the forced keyframe decodes by itself: its record alone (SPS, PPS, IDR) is a whole stream
    const alone = await decodeH264(records[5]!.data, w, h);
    expect(meanDiff(alone.frames[0]!, pictures[5]!)).toBeLessThan(2);
  });

  it('the still tier (one thread, CRF 14) gives a sharper picture than the motion tier', async () => {
    const picture = testPicture(w, h, 3);
    const still = await runEncoder(encoder, ['--width', String(w), '--height', String(h), '--preset', 'superfast', '--crf', '14', '--threads', '1', '--params', 'aq-mode=0'], frameInput(picture));
    const coarse = await runEncoder(encoder, ['--width', String(w), '--height', String(h), '--preset', 'ultrafast', '--crf', '40'], frameInput(picture));
    const sharp = (await decodeH264(parseRecords(still.stdout)[0]!.data, w, h)).frames[0]!;
    const blurred = (await decodeH264(parseRecords(coarse.stdout)[0]!.data, w, h)).frames[0]!;
    expect(meanDiff(sharp, picture)).toBeLessThan(meanDiff(blurred, picture));
  });

  it('caps the bitrate when a frame header carries RATE (VBV under CRF), and drops the cap again with 0', async () => {
    // noise that changes every frame: far more than 200 kbps at CRF 23
    const noise = (n: number): Buffer => {
      const out = Buffer.alloc((w * h * 3) / 2, 128);
      for (let i = 0; i < w * h; i++) out[i] = (i * 7919 + n * 104729 + ((i * n) % 251)) % 251;
      return out;
    };
    const withRate = (picture: Buffer, maxKbps: number): Buffer => {
      const head = Buffer.alloc(8);
      head.writeUInt32LE(2);
      head.writeUInt32LE(maxKbps, 4);
      return Buffer.concat([head, picture]);
    };
    const pictures = Array.from({ length: 30 }, (_, n) => noise(n));
    const plain = parseRecords((await runEncoder(encoder, motion, Buffer.concat(pictures.map((p) => frameInput(p))))).stdout);
    // the cap from frame 10 on, lifted again at frame 20
    const input = Buffer.concat(pictures.map((p, n) => (n === 10 ? withRate(p, 200) : n === 20 ? withRate(p, 0) : frameInput(p))));
    const run = await runEncoder(encoder, motion, input);
    expect([run.code, run.stderr]).toEqual([0, '']);
    const capped = parseRecords(run.stdout);
    expect(capped).toHaveLength(30);
    const bytes = (records: typeof plain, from: number, to: number) => records.slice(from, to).reduce((sum, r) => sum + r.data.length, 0);
    // before the cap the same stream; under it each frame far smaller (200 kbps at 30 fps: ~830 B a frame, plus the buffer)
    expect(bytes(capped, 0, 10)).toBe(bytes(plain, 0, 10));
    expect(bytes(capped, 12, 20)).toBeLessThan(bytes(plain, 12, 20) / 4);
    expect(bytes(capped, 12, 20) / 8).toBeLessThan(4000);
    // lifted: big frames again
    expect(bytes(capped, 22, 30)).toBeGreaterThan(bytes(capped, 12, 20) * 3);
    // all of it still one decodable stream
    const { frames } = await decodeH264(Buffer.concat(capped.map((r) => r.data)), w, h);
    expect(frames).toHaveLength(30);

    // a RATE flag whose field is cut off is bad input
    const cut = await runEncoder(encoder, motion, withRate(pictures[0]!, 100).subarray(0, 6));
    expect(cut.code).toBe(1);
    expect(cut.stderr).toMatch(/the input ended inside a RATE field/);
  });

  it('ends with a plain message and a non-zero exit on bad input', async () => {
    const good = frameInput(testPicture(w, h, 0));
    const short = await runEncoder(encoder, motion, Buffer.concat([good, good.subarray(0, 1000)]));
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/the input ended inside a frame \(996 of 115200 bytes\)/);
    expect(parseRecords(short.stdout)).toHaveLength(1); // the whole frame before it was still encoded

    const flags = Buffer.from(good);
    flags.writeUInt32LE(0x80);
    const unknown = await runEncoder(encoder, motion, flags);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^fernhilfe-encoder: a frame header has unknown flags set: the input is not in this program's format\n$/);

    const odd = await runEncoder(encoder, ['--width', '321', '--height', '240'], good);
    expect(odd.code).toBe(2);
    expect(odd.stderr).toMatch(/must be even/);
    const param = await runEncoder(encoder, [...motion.slice(0, 2), '--height', '240', '--params', 'no-such-option=1'], good);
    expect([param.code, param.stderr]).toEqual([2, 'fernhilfe-encoder: x264 does not accept the parameter no-such-option=1\n']);
  });
});
