/**
 * The agent's screen feature (capture + fernhilfe-encoder.exe) in the Windows Node under wine, for
 * `bench:agent --platform win-x64` (bundled by win-bench.ts; FERNHILFE_ENCODER names the encoder).
 * The "viewer" is in-process and acknowledges every frame at once, as in agent-child.ts. Phases as
 * JSON lines in the file argv[2]: warmup (the painter starts), measure (frames counted, once the warm-up
 * time is over and the painter's first change is made: it writes argv[2].go), done.
 */
import { appendFileSync, existsSync } from 'node:fs';
import { decodeVideoFrame, LogicalChannel } from '@fernhilfe/protocol';
import { ScreenFeature } from '@fernhilfe/agent';

const [statusFile = 'status.jsonl', warmArg = '5000', measureArg = '10000'] = process.argv.slice(2);
const say = (o: object): void => appendFileSync(statusFile, JSON.stringify({ at: Date.now(), ...o }) + '\n');
const median = (xs: number[]): number | undefined => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const frames: Array<{ bytes: number; grabMs: number; encodeMs: number }> = [];
  let counting = false;
  const feature = new ScreenFeature({ maxFps: 30 });
  feature.on('frame', (f) => {
    if (counting) frames.push({ bytes: f.bytes, grabMs: f.grabMs, encodeMs: f.encodeMs });
  });
  await feature.start({
    sendControl: async () => undefined,
    sendData: async (channel, bytes) => {
      if (channel !== LogicalChannel.video) return;
      const { frameId } = decodeVideoFrame(bytes);
      setImmediate(() => feature.handleControl({ type: 'video-ack', frameId }));
    },
  });
  say({ phase: 'warmup' });
  await wait(Number(warmArg));
  // wine takes seconds to start a program: measuring begins once the workload changes the screen
  while (!existsSync(`${statusFile}.go`)) await wait(50);
  say({ phase: 'measure' });
  counting = true;
  await wait(Number(measureArg));
  counting = false;
  say({
    phase: 'done',
    frames: frames.length,
    bytes: frames.reduce((n, f) => n + f.bytes, 0),
    grabMsMedian: median(frames.map((f) => f.grabMs)),
    encodeMsMedian: median(frames.map((f) => f.encodeMs)),
  });
  await feature.stop();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    say({ phase: 'failed', error: err instanceof Error ? err.stack : String(err) });
    process.exit(1);
  },
);
