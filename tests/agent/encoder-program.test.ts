import { beforeAll, describe, expect, it } from 'vitest';
import { builtEncoder, changedBand, decodeH264, frameInput, meanDiff, parseRecords, rowsFrameInput, runEncoder, testPicture, worstBlockDiff } from './support/encoder-records.js';

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

  it('with ROWS takes only the changed rows and keeps the rest: the same access units as whole pictures', async () => {
    // the bar moves (a band of ~40 rows changes), stands still (nothing changes), a keyframe comes, and
    // a change in the chroma alone (the bottom rows' colour)
    const pictures = Array.from({ length: 8 }, (_, n) => testPicture(w, h, Math.min(n, 4)));
    const tinted = Buffer.from(pictures[7]!);
    tinted.fill(30, w * h + (w / 2) * (h / 2 - 4), w * h + (w / 2) * (h / 2));
    pictures[7] = tinted;
    const whole = Buffer.concat(pictures.map((p, n) => frameInput(p, n === 6)));
    const bands = pictures.map((p, n) => (n === 0 ? undefined : changedBand(pictures[n - 1]!, p, w, h)));
    expect(bands.map((b) => b?.count)).toEqual([undefined, 28, 40, 40, 40, 0, 0, 8]);
    const rows = Buffer.concat(pictures.map((p, n) => (n === 0 ? frameInput(p) : rowsFrameInput(p, w, h, bands[n]!.first, bands[n]!.count, n === 6 ? 4 | 1 : 4))));
    expect(rows.length, 'the rows input is far smaller').toBeLessThan(whole.length / 3);
    const [a, b] = await Promise.all([runEncoder(encoder, motion, whole), runEncoder(encoder, motion, rows)]);
    expect([a.code, a.stderr, b.code, b.stderr]).toEqual([0, '', 0, '']);
    const [ra, rb] = [parseRecords(a.stdout), parseRecords(b.stdout)];
    expect(rb.map((r) => r.keyframe)).toEqual([true, false, false, false, false, false, true, false]);
    // x264 is deterministic for equal input planes: the same bytes mean the same picture in the encoder
    expect(rb.map((r) => r.data.toString('hex'))).toEqual(ra.map((r) => r.data.toString('hex')));
    const { frames } = await decodeH264(Buffer.concat(rb.map((r) => r.data)), w, h);
    expect(frames).toHaveLength(8);
    // every block of every picture is right, also where only a few rows or only the chroma changed
    // (the encoder tells x264 which macroblocks stayed the same; a wrong hint would leave one stale)
    expect(frames.map((f, n) => worstBlockDiff(f, pictures[n]!, w, h) < 6)).toEqual(frames.map(() => true));
  });

  it('refuses a bad ROWS header with a plain message', async () => {
    const [first, second] = [testPicture(w, h, 0), testPicture(w, h, 1)];
    const cases: Array<[string, Buffer, RegExp]> = [
      ['rows on the first frame', rowsFrameInput(first, w, h, 0, 40), /the first frame must be a whole picture, not rows/],
      ['an odd first row', Buffer.concat([frameInput(first), rowsFrameInput(second, w, h, 1, 40)]), /the rows of a frame \(first 1, count 40\) must be even and inside the picture's 240 rows/],
      ['an odd count', Buffer.concat([frameInput(first), rowsFrameInput(second, w, h, 0, 41)]), /\(first 0, count 41\) must be even/],
      ['rows past the bottom', Buffer.concat([frameInput(first), rowsFrameInput(second, w, h, 200, 42)]), /\(first 200, count 42\) must be even and inside/],
      ['the input ends inside the rows', Buffer.concat([frameInput(first), rowsFrameInput(second, w, h, 0, 40).subarray(0, 12 + 100)]), /the input ended inside the rows of a frame \(100 of 12800 bytes\)/],
      ['the input ends inside the rows field', Buffer.concat([frameInput(first), rowsFrameInput(second, w, h, 0, 40).subarray(0, 8)]), /the input ended inside a frame header's rows \(4 of 8 bytes\)/],
    ];
    for (const [what, input, message] of cases) {
      const run = await runEncoder(encoder, motion, input);
      expect([what, run.code, run.stderr]).toEqual([what, 1, expect.stringMatching(message)]);
    }
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
