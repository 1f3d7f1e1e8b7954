// The cost of the agent's WebRTC stack (werift) beside libwebrtc (@roamhq/wrtc, Chromium's stack):
// two peer connections in this one process on this machine's addresses, an ordered data channel,
// then (1) messages of SIZE bytes at FPS per second for 6 s: one-way delay p50/p90/max and the
// process's CPU (both ends), (2) on a second pair, 16 MiB as fast as the channel takes it (1 MiB buffered at most).
// Usage: node bench/p2p/data-channel.mjs [werift|wrtc] [SIZE=6600] [FPS=30]   (docs/p2p.md)
import wrtc from '@roamhq/wrtc';
import { RTCPeerConnection as Werift } from 'werift';

const stacks = { werift: Werift, wrtc: wrtc.RTCPeerConnection };
const [name = 'werift', sizeArg = '6600', fpsArg = '30'] = process.argv.slice(2);
const PC = stacks[name];
if (!PC) throw new TypeError(`stack: werift or wrtc, not ${name}`);
const size = Number(sizeArg);
const fps = Number(fpsArg);
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** `promise`, or exit 1 naming `what` after `ms` (a stuck stack is a result too) */
function within(promise, ms, what) {
  const timer = setTimeout(() => {
    console.log(JSON.stringify({ stack: name, size, fps, stuck: `no ${what} within ${ms} ms` }));
    process.exit(1);
  }, ms);
  return promise.finally(() => clearTimeout(timer));
}

async function pair() {
  const a = new PC({ iceServers: [] });
  const b = new PC({ iceServers: [] });
  a.onicecandidate = (e) => e.candidate && b.addIceCandidate(e.candidate).catch(() => undefined);
  b.onicecandidate = (e) => e.candidate && a.addIceCandidate(e.candidate).catch(() => undefined);
  const dc = a.createDataChannel('bench', { ordered: true });
  const incoming = new Promise((resolve) => (b.ondatachannel = (e) => resolve(e.channel)));
  const opened = new Promise((resolve) => (dc.onopen = resolve));
  const t0 = performance.now();
  await a.setLocalDescription(await a.createOffer());
  await b.setRemoteDescription(a.localDescription);
  await b.setLocalDescription(await b.createAnswer());
  await a.setRemoteDescription(b.localDescription);
  await within(opened, 20_000, 'the data channel to open');
  const rx = await incoming;
  rx.binaryType = 'arraybuffer';
  return { a, b, dc, rx, openMs: performance.now() - t0 };
}

// werift's send takes a Buffer, libwebrtc's an ArrayBuffer
const wire = (buf) => (name === 'werift' ? buf : buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
const view = (data) => (data instanceof ArrayBuffer ? new DataView(data) : new DataView(data.buffer, data.byteOffset, data.byteLength));
const q = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

async function paced() {
  const { a, b, dc, rx, openMs } = await pair();
  const delays = [];
  rx.onmessage = (m) => delays.push(performance.now() - view(m.data).getFloat64(0, true));
  const n = fps * 6;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const buf = Buffer.alloc(size, 1);
    buf.writeDoubleLE(performance.now(), 0);
    dc.send(wire(buf));
    await pause(1000 / fps);
  }
  await pause(1000);
  const cpu = process.cpuUsage(cpu0);
  const wall = performance.now() - t0;
  delays.sort((x, y) => x - y);
  a.close();
  b.close();
  return { openMs: Math.round(openMs), arrived: `${delays.length}/${n}`, p50: +q(delays, 0.5).toFixed(1), p90: +q(delays, 0.9).toFixed(1), max: +delays.at(-1).toFixed(1), cpuPctOfCore: +(((cpu.user + cpu.system) / 1000 / wall) * 100).toFixed(1) };
}

async function bulk(total = 16 * 2 ** 20) {
  const { a, b, dc, rx } = await pair();
  let got = 0;
  const done = new Promise((resolve) => (rx.onmessage = (m) => (got += view(m.data).byteLength) >= total && resolve()));
  const chunk = Buffer.alloc(16384, 7);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let sent = 0;
  const pump = () => {
    while (sent < total && dc.bufferedAmount < 2 ** 20) {
      dc.send(wire(chunk));
      sent += chunk.length;
    }
    if (sent < total) setTimeout(pump, 1);
  };
  pump();
  await within(done, 60_000, `${total / 2 ** 20} MiB through the channel`);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  a.close();
  b.close();
  return { MiB: total / 2 ** 20, ms: Math.round(ms), mbitPerS: +((total * 8) / ms / 1000).toFixed(1), cpuMs: Math.round((cpu.user + cpu.system) / 1000) };
}

console.log(JSON.stringify({ stack: name, size, fps, paced: await paced(), bulk: await bulk() }));
process.exit(0);
