import { decodeVideoFrame, LogicalChannel } from '@fernhilfe/protocol';
import { ScreenFeature } from '@fernhilfe/agent';

/**
 * The agent's screen feature alone, as its own process so its CPU (and its encoder children's) can be
 * read from /proc: `node agent-child.js DISPLAY|session MAX_FPS`. The "viewer" is in-process and acknowledges
 * every frame at once (a fast network and console), so what is measured is capture + encode. Prints
 * one JSON line "ready" once sending, and a JSON summary when it gets SIGTERM.
 */
const [display = process.env.DISPLAY ?? ':0', maxFps = '30'] = process.argv.slice(2);
const frames: Array<{ bytes: number; grabMs: number; writeMs?: number; encodeMs: number; keyframe: boolean; refine: boolean }> = [];
let counting = false;
// 'session': no display named, the platform the environment picks (the Wayland row runs this inside headless GNOME)
const feature = new ScreenFeature({ capture: display === 'session' ? {} : { display }, maxFps: Number(maxFps) });
let controlBytes = 0;
feature.on('frame', (f) => {
  const t = f.timing;
  const writeMs = t.writtenAt === undefined ? undefined : t.writtenAt - t.handedAt;
  if (counting) frames.push({ bytes: f.bytes, grabMs: f.grabMs, writeMs, encodeMs: f.encodeMs, keyframe: f.keyframe, refine: f.refine });
});
feature.on('started', (s) => console.log(JSON.stringify({ ready: true, method: s.method })));
await feature.start({
  sendControl: async (m) => {
    if (counting) controlBytes += JSON.stringify(m).length;
  },
  sendData: async (channel, bytes) => {
    if (channel !== LogicalChannel.video) return;
    const { frameId } = decodeVideoFrame(bytes);
    setImmediate(() => feature.handleControl({ type: 'video-ack', frameId }));
  },
});
process.on('SIGUSR1', () => {
  counting = true;
});
process.on('SIGTERM', () => {
  console.log(JSON.stringify({ frames, controlBytes }));
  void feature.stop().then(() => process.exit(0));
});
