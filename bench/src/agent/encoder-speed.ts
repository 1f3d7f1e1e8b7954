import { findEncoder, X264Process, type X264Tier } from '@fernhilfe/agent';
import { spawnProgram } from '@fernhilfe/programs';
import { processCpuMs } from '@fernhilfe/testkit';
import { percentile } from '../stats.js';

/**
 * `node bench/dist/agent/encoder-speed.js [runs] [frames]`: ms per 1080p frame, one frame at a time
 * (written -> its access unit back), in both tiers, for the agent's fernhilfe-encoder and for the
 * ffmpeg command line the agent used before it (issue 16), on the same frames: a textured screen
 * scrolling by 8 rows per frame. The first frame of a run (the IDR, x264's set-up) is left out.
 * Prints the median of each run and, over the runs, their median and spread (min-max); and the
 * encoder process's CPU time per frame (utime + stime over the whole run incl. set-up / frames).
 */
const [W, H] = [1920, 1080];
const runs = Number(process.argv[2] ?? 5);
const frameCount = Number(process.argv[3] ?? 30);

function frames(): Buffer[] {
  const tall = Buffer.alloc(W * (H + frameCount * 8));
  for (let i = 0; i < tall.length; i++) tall[i] = (i % W) % 97 < 60 ? 40 + ((i * 2654435761) >>> 27) * 6 : 230;
  return Array.from({ length: frameCount }, (_, n) => {
    const f = Buffer.alloc((W * H * 3) / 2, 128);
    tall.copy(f, 0, n * 8 * W, n * 8 * W + W * H);
    return f;
  });
}

/** The old way: x264 in a long-running ffmpeg, FLV out (the arguments the agent used before). */
async function ffmpegRun(tier: X264Tier, input: Buffer[]): Promise<Run> {
  const t = tier === 'motion' ? { preset: 'ultrafast', crf: '23', params: 'partitions=i4x4:aq-mode=1:8x8dct=1', threads: [] } : { preset: 'superfast', crf: '14', params: 'aq-mode=0', threads: ['-threads', '1'] };
  const child = spawnProgram('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-nostdin', '-probesize', '32', '-analyzeduration', '0'],
    ...['-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-video_size', `${W}x${H}`, '-framerate', '30', '-i', 'pipe:0'],
    ...['-an', '-c:v', 'libx264', '-preset', t.preset, '-tune', 'zerolatency', '-crf', t.crf, ...t.threads, '-profile:v', 'high'],
    ...['-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'iec61966-2-1', '-color_range', 'pc'],
    ...['-g', '1000000', '-x264-params', `scenecut=0:${t.params}`, '-fps_mode', 'passthrough', '-flush_packets', '1', '-f', 'flv', '-flvflags', 'no_duration_filesize', 'pipe:1'],
  ], { stdio: ['pipe', 'pipe', 'inherit'] });
  let pending = Buffer.alloc(0);
  let headerDone = false;
  let wake: (() => void) | undefined;
  let frameTags = 0;
  child.stdout!.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    if (!headerDone && pending.length >= 13) {
      pending = pending.subarray(13);
      headerDone = true;
    }
    while (headerDone && pending.length >= 11) {
      const size = pending.readUIntBE(1, 3);
      if (pending.length < 11 + size + 4) break;
      if (pending[0] === 9 && pending[12] === 1) frameTags++; // a video tag holding NAL units (not the config)
      pending = pending.subarray(11 + size + 4);
    }
    wake?.();
  });
  const times: number[] = [];
  for (const [n, f] of input.entries()) {
    const start = performance.now();
    child.stdin!.write(f);
    while (frameTags <= n) await new Promise<void>((r) => (wake = r));
    times.push(performance.now() - start);
  }
  const cpu = processCpuMs(child.pid!) / input.length;
  child.stdin!.end();
  await new Promise((r) => child.once('exit', r));
  return { times: times.slice(1), cpu };
}

interface Run {
  times: number[];
  cpu: number;
}

async function encoderRun(tier: X264Tier, input: Buffer[]): Promise<Run> {
  const p = new X264Process(findEncoder(), W, H, tier);
  const times: number[] = [];
  for (const f of input) {
    const start = performance.now();
    await p.encode(f);
    times.push(performance.now() - start);
  }
  const cpu = processCpuMs(p.pid!) / input.length;
  await p.close();
  return { times: times.slice(1), cpu };
}

const median = (v: number[]) => percentile(Float64Array.from(v).sort(), 50);
const input = frames();
for (const tier of ['motion', 'still'] as const) {
  for (const [name, run] of [['fernhilfe-encoder', encoderRun], ['ffmpeg (before)', ffmpegRun]] as const) {
    const medians: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < runs; i++) {
      const r = await run(tier, input);
      medians.push(median(r.times));
      cpu.push(r.cpu);
    }
    const sorted = [...medians].sort((a, b) => a - b);
    const cpuSorted = [...cpu].sort((a, b) => a - b);
    process.stdout.write(
      `${tier.padEnd(6)} ${name.padEnd(18)} median ${median(medians).toFixed(1)} ms/frame (run medians ${sorted.map((m) => m.toFixed(1)).join(', ')}); ` +
        `CPU ${median(cpu).toFixed(1)} ms/frame (${cpuSorted[0]!.toFixed(1)}-${cpuSorted.at(-1)!.toFixed(1)})\n`,
    );
  }
}
