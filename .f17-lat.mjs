import wrtc from '@roamhq/wrtc';
import { RTCPeerConnection as W } from 'werift';
const stacks = { werift: W, wrtc: wrtc.RTCPeerConnection };
const [name, sizeArg, fpsArg] = process.argv.slice(2);
const size = Number(sizeArg), fps = Number(fpsArg), PC = stacks[name];
const a = new PC({ iceServers: [] }), b = new PC({ iceServers: [] });
a.onicecandidate = (e) => e.candidate && b.addIceCandidate(e.candidate).catch(() => {});
b.onicecandidate = (e) => e.candidate && a.addIceCandidate(e.candidate).catch(() => {});
const dc = a.createDataChannel('t', { ordered: true });
const lat = [];
b.ondatachannel = (e) => { const ch = e.channel; ch.binaryType = 'arraybuffer'; ch.onmessage = (m) => { const d = m.data instanceof ArrayBuffer ? new DataView(m.data) : new DataView(m.data.buffer, m.data.byteOffset); lat.push(performance.now() - d.getFloat64(0, true)); }; };
const opened = new Promise((r) => (dc.onopen = r));
await a.setLocalDescription(await a.createOffer()); await b.setRemoteDescription(a.localDescription);
await b.setLocalDescription(await b.createAnswer()); await a.setRemoteDescription(b.localDescription);
await opened;
const c0 = process.cpuUsage(); const t0 = performance.now();
const n = fps * 6;
for (let i = 0; i < n; i++) {
  const buf = Buffer.alloc(size, 1); buf.writeDoubleLE(performance.now(), 0);
  dc.send(name === 'werift' ? buf : buf.buffer.slice(buf.byteOffset, buf.byteOffset + size));
  await new Promise((r) => setTimeout(r, 1000 / fps));
}
await new Promise((r) => setTimeout(r, 1000));
const cpu = process.cpuUsage(c0); const wall = performance.now() - t0;
lat.sort((x, y) => x - y);
const q = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]?.toFixed(1);
console.log(JSON.stringify({ stack: name, size, fps, got: lat.length, of: n, p50: q(0.5), p90: q(0.9), max: q(0.999), cpuPct: +((cpu.user + cpu.system) / 1000 / wall * 100).toFixed(1) }));
process.exit(0);
