import type { Page } from 'playwright-core';
import type { Rgb } from '@fernhilfe/testkit';

/**
 * Counters put into a page before its own scripts run (Playwright's addInitScript, which the
 * page's CSP does not apply to). They watch from outside the app and need nothing from it:
 * - frames drawn onto the canvas with data-testid="viewer-canvas" (CanvasRenderingContext2D.drawImage);
 * - bytes in and out over every WebSocket the page opens;
 * - the codec the page's VideoDecoder was configured with;
 * - a probe: "tell me the wall-clock time of the first draw after which the canvas shows colour C
 *   at point P", checked right after each draw, so latency is measured to the draw, not to a poll.
 * Kept as page-side source text: this package is compiled without the DOM library.
 *
 * `webSockets: false` leaves WebSocket alone (noVNC refuses a WebSocket subclass; its bytes are
 * counted at its proxy instead).
 */
export const pageCounters = (opts: { webSockets: boolean }): string => `(() => {
  const s = { frames: 0, bytesIn: 0, bytesOut: 0, codec: '', probe: null, seen: [], maxGap: 0, lastDraw: undefined };
  Object.defineProperty(window, '__fhBench', { value: s });
  // stage times for the latency breakdown: WebSocket messages in, chunks into the decoder, frames out
  s.wsLog = []; s.chunks = new Map(); s.stages = {};
  const nowMs = () => performance.timeOrigin + performance.now();
  const size = (d) => (d == null ? 0 : d.byteLength ?? d.size ?? d.length ?? 0);
  const draw = CanvasRenderingContext2D.prototype.drawImage;
  CanvasRenderingContext2D.prototype.drawImage = function (...args) {
    const drawStart = nowMs();
    const result = draw.apply(this, args);
    const canvas = this.canvas;
    if (canvas && canvas.dataset && canvas.dataset.testid === 'viewer-canvas') {
      s.frames++;
      // the longest gap between two drawn frames since resetStall (a stall the viewer sees)
      if (s.lastDraw !== undefined) s.maxGap = Math.max(s.maxGap, drawStart - s.lastDraw);
      s.lastDraw = drawStart;
      const p = s.probe;
      if (p && canvas.width > 0) {
        const d = this.getImageData(Math.round(p.x * (canvas.width - 1)), Math.round(p.y * (canvas.height - 1)), 1, 1).data;
        if (Math.abs(d[0] - p.rgb[0]) <= p.tol && Math.abs(d[1] - p.rgb[1]) <= p.tol && Math.abs(d[2] - p.rgb[2]) <= p.tol) {
          s.probe = null;
          s.seen.push({ id: p.id, at: performance.timeOrigin + performance.now() });
          const c = args[0] && s.chunks.get(args[0].timestamp);
          if (c) {
            let ws;
            for (const m of s.wsLog) if (m.at <= c.decodeAt && m.size >= c.bytes) ws = m.at;
            s.stages[p.id] = { bytes: c.bytes, wsAt: ws, decodeAt: c.decodeAt, outputAt: c.outputAt, drawAt: drawStart };
          }
        }
      }
    }
    return result;
  };
  const WS = window.WebSocket;
  if (${opts.webSockets}) window.WebSocket = class extends WS {
    constructor(...a) {
      super(...a);
      this.addEventListener('message', (e) => {
        s.bytesIn += size(e.data);
        s.wsLog.push({ at: nowMs(), size: size(e.data) });
        if (s.wsLog.length > 200) s.wsLog.shift();
      });
    }
    send(d) {
      s.bytesOut += size(d);
      return super.send(d);
    }
  };
  if (window.VideoDecoder) {
    const configure = VideoDecoder.prototype.configure;
    VideoDecoder.prototype.configure = function (c) {
      s.codec = c && c.codec ? c.codec + ' ' + (c.codedWidth || '?') + 'x' + (c.codedHeight || '?') : '';
      return configure.call(this, c);
    };
    const VD = window.VideoDecoder;
    window.VideoDecoder = class extends VD {
      constructor(init) {
        super({ ...init, output: (f) => {
          const c = s.chunks.get(f.timestamp);
          if (c) c.outputAt = nowMs();
          return init.output(f);
        } });
      }
      decode(chunk) {
        s.chunks.set(chunk.timestamp, { bytes: chunk.byteLength, decodeAt: nowMs() });
        if (s.chunks.size > 200) s.chunks.delete(s.chunks.keys().next().value);
        return super.decode(chunk);
      }
    };
  }
})();`;
export const PAGE_COUNTERS = pageCounters({ webSockets: true });

export interface Counters {
  frames: number;
  bytesIn: number;
  bytesOut: number;
  codec: string;
}

export async function readCounters(page: Page): Promise<Counters> {
  return (await page.evaluate('({ frames: __fhBench.frames, bytesIn: __fhBench.bytesIn, bytesOut: __fhBench.bytesOut, codec: __fhBench.codec })')) as Counters;
}

/** Starts a window for the longest gap between drawn frames (now counts as the last draw). */
export async function resetStall(page: Page): Promise<void> {
  await page.evaluate('__fhBench.maxGap = 0; __fhBench.lastDraw = performance.timeOrigin + performance.now()');
}

/** The longest gap between drawn frames since resetStall, counting the time since the last draw, ms. */
export async function readStall(page: Page): Promise<number> {
  return (await page.evaluate('Math.max(__fhBench.maxGap, performance.timeOrigin + performance.now() - __fhBench.lastDraw)')) as number;
}

/** Arms the probe: point as a fraction of the canvas (0..1), colour, tolerance per channel. */
export async function armProbe(page: Page, id: number, at: { x: number; y: number }, rgb: Rgb, tol: number): Promise<void> {
  await page.evaluate(`__fhBench.probe = ${JSON.stringify({ id, x: at.x, y: at.y, rgb, tol })}`);
}

/** Viewer-side stage times of the frame that made probe `id` fire (pages with VideoDecoder only). */
export interface ViewerStages {
  /** bytes of the encoded frame */
  bytes: number;
  /** the last WebSocket message at least that big before the decoder got it */
  wsAt: number | undefined;
  decodeAt: number;
  outputAt: number | undefined;
  drawAt: number;
}

export async function probeStages(page: Page, id: number): Promise<ViewerStages | undefined> {
  return (await page.evaluate(`__fhBench.stages[${id}]`)) as ViewerStages | undefined;
}

/** The wall-clock time (ms since the epoch) the probe fired, or undefined after `timeoutMs`. */
export async function probeSeenAt(page: Page, id: number, timeoutMs: number): Promise<number | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const at = (await page.evaluate(`(__fhBench.seen.find((x) => x.id === ${id}) || {}).at`)) as number | undefined;
    if (at !== undefined) return at;
    if (Date.now() > deadline) {
      await page.evaluate('__fhBench.probe = null');
      return undefined;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}
