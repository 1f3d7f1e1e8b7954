import { createSocket, type Socket } from 'node:dgram';
import type { ViewerStages } from '../browser-probe.js';
import { summarize } from '../stats.js';

/**
 * The latency breakdown of the Fernhilfe path (issue 7: "say what holds it back, measured"). The
 * bench customer (fernhilfe-customer.ts) sends each video frame's agent-side stage times as one UDP
 * datagram to the collector here (address in FERNHILFE_BENCH_STAGES in the child's environment); the
 * viewer page notes when the frame's WebSocket message came, when it went into the VideoDecoder,
 * when it came out and when it was drawn (browser-probe.ts). For each latency marker the frame that
 * first showed it is matched by its size (the encoded bytes) and time. All clocks are this machine's
 * wall clock (performance.timeOrigin + now), in ms.
 */
export interface AgentFrameStages {
  /** video payload bytes (13-byte header + encoded frame) */
  bytes: number;
  keyframe: boolean;
  refine: boolean;
  damageAt?: number;
  grabStart: number;
  grabEnd: number;
  /** handed to the encoder (after the frame before it came out; absent in results from before the pipeline) */
  handedAt?: number;
  writtenAt?: number;
  encodedAt: number;
  sentAt: number;
}

/** One marker's path, ms per stage. */
export type StageBreakdown = Record<StageName, number | undefined>;

export const STAGES = {
  toGrab: 'marker painted → grab starts (DamageNotify, fps limit, flow window, frame in flight)',
  grab: 'grab (MIT-SHM GetImage + copy)',
  wait: 'wait for the frame before it to leave the encoder (pipeline depth 2)',
  pipe: 'convert changed rows to I420 + write into fernhilfe-encoder (3 MB pipe)',
  encode: 'encode (x264 in fernhilfe-encoder) → access unit out',
  seal: 'seal (encrypt) + queue on the session',
  relay: 'WebSocket: agent → server relay → console',
  open: 'console: decrypt + hand to the VideoDecoder',
  decode: 'VideoDecoder: decode',
  draw: 'draw on the canvas',
  probe: 'bench probe: read the pixel back (getImageData; noVNC pays it too)',
} as const;
export type StageName = keyof typeof STAGES;

const HEADER = 13;

export class StageCollector {
  readonly frames: AgentFrameStages[] = [];

  private constructor(
    private readonly socket: Socket,
    readonly address: string,
  ) {
    socket.on('message', (msg) => {
      try {
        this.frames.push(JSON.parse(msg.toString('utf8')) as AgentFrameStages);
        if (this.frames.length > 50_000) this.frames.splice(0, 10_000);
      } catch {
        // not ours
      }
    });
  }

  /** Listens on `host`: in the two-machine mode the root namespace's address, which the customer's side reaches. */
  static async open(host = '127.0.0.1'): Promise<StageCollector> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, host, resolve));
    socket.unref();
    return new StageCollector(socket, `${host}:${socket.address().port}`);
  }

  /** The agent frame that carried what the viewer drew: same size, sent before the decoder got it, grabbed after the paint. */
  match(paintedAt: number, viewer: ViewerStages): AgentFrameStages | undefined {
    let best: AgentFrameStages | undefined;
    for (const f of this.frames) {
      if (f.bytes - HEADER !== viewer.bytes || f.sentAt > viewer.decodeAt || f.grabStart < paintedAt - 1) continue;
      if (!best || f.sentAt > best.sentAt) best = f;
    }
    return best;
  }

  breakdown(paintedAt: number, seenAt: number, viewer: ViewerStages | undefined): StageBreakdown | undefined {
    if (!viewer) return undefined;
    const a = this.match(paintedAt, viewer);
    if (!a) return undefined;
    const d = (from: number | undefined, to: number | undefined) => (from === undefined || to === undefined ? undefined : to - from);
    return {
      toGrab: d(paintedAt, a.grabStart),
      grab: d(a.grabStart, a.grabEnd),
      wait: d(a.grabEnd, a.handedAt),
      pipe: d(a.handedAt ?? a.grabEnd, a.writtenAt),
      encode: d(a.writtenAt ?? a.grabEnd, a.encodedAt),
      seal: d(a.encodedAt, a.sentAt),
      relay: d(a.sentAt, viewer.wsAt),
      open: d(viewer.wsAt ?? a.sentAt, viewer.decodeAt),
      decode: d(viewer.decodeAt, viewer.outputAt),
      draw: d(viewer.outputAt ?? viewer.decodeAt, viewer.drawAt),
      probe: d(viewer.drawAt, seenAt),
    };
  }

  close(): void {
    this.socket.close();
  }
}

/** Median and p95 per stage over the markers that could be matched. */
export function summarizeStages(list: StageBreakdown[]): Array<{ stage: StageName; label: string; p50: number; p95: number; count: number }> {
  return (Object.keys(STAGES) as StageName[]).map((stage) => {
    const xs = list.map((b) => b[stage]).filter((v): v is number => v !== undefined);
    const s = summarize(xs);
    return { stage, label: STAGES[stage], p50: s.p50, p95: s.p95, count: s.count };
  });
}

/** What the agent sent while one stack was connected: frames, keyframes, refinements (sharp still pictures). */
export interface AgentFrameCounts {
  frames: number;
  keyframes: number;
  refines: number;
  bytes: number;
  refineBytes: number;
}

export function countFrames(frames: readonly AgentFrameStages[]): AgentFrameCounts {
  const refines = frames.filter((f) => f.refine);
  const sum = (xs: readonly AgentFrameStages[]) => xs.reduce((n, f) => n + f.bytes, 0);
  return { frames: frames.length, keyframes: frames.filter((f) => f.keyframe).length, refines: refines.length, bytes: sum(frames), refineBytes: sum(refines) };
}

export function stageTable(title: string, list: StageBreakdown[], latencyP50: number, counts?: AgentFrameCounts): string {
  const rows = summarizeStages(list);
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : 'n/a');
  const sum = rows.reduce((n, r) => n + (Number.isFinite(r.p50) ? r.p50 : 0), 0);
  return [
    `Fernhilfe latency by stage, ${title} (${list.length} markers matched; glass-to-glass median ${f(latencyP50)} ms, sum of stage medians ${f(sum)} ms)`,
    '',
    '| stage | median ms | p95 ms |',
    '|---|---|---|',
    ...rows.map((r) => `| ${r.label} | ${f(r.p50)} | ${f(r.p95)} |`),
    ...(counts
      ? ['', `agent frames while connected: ${counts.frames} (${counts.keyframes} keyframes, ${counts.refines} from the sharp still-screen encoder = ${(counts.refineBytes / 1000).toFixed(0)} of ${(counts.bytes / 1000).toFixed(0)} kB)`]
      : []),
  ].join('\n');
}
