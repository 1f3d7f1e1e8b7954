import wrtc from '@roamhq/wrtc';
import { RTCPeerConnection as W } from 'werift';
const stacks = { werift: W, wrtc: wrtc.RTCPeerConnection };
async function run(name, PC, total) {
  const a = new PC({ iceServers: [] }), b = new PC({ iceServers: [] });
  a.onicecandidate = (e) => e.candidate && b.addIceCandidate(e.candidate).catch(() => {});
  b.onicecandidate = (e) => e.candidate && a.addIceCandidate(e.candidate).catch(() => {});
  const dc = a.createDataChannel('t', { ordered: true });
  let got = 0; let t0; let done;
  const finished = new Promise((r) => (done = r));
  b.ondatachannel = (e) => { const ch = e.channel; ch.binaryType = 'arraybuffer'; ch.onmessage = (m) => { got += m.data.byteLength ?? m.data.length; if (got >= total) done(); }; };
  const opened = new Promise((r) => (dc.onopen = r));
  const t1 = performance.now();
  await a.setLocalDescription(await a.createOffer()); await b.setRemoteDescription(a.localDescription);
  await b.setLocalDescription(await b.createAnswer()); await a.setRemoteDescription(b.localDescription);
  await opened; const openMs = performance.now() - t1;
  const chunk = name === 'werift' ? Buffer.alloc(16384, 7) : new Uint8Array(16384).fill(7).buffer;
  t0 = performance.now(); const c0 = process.cpuUsage();
  let sent = 0;
  const pump = () => { while (sent < total && dc.bufferedAmount < 1 << 20) { dc.send(chunk); sent += 16384; } if (sent < total) setTimeout(pump, 1); };
  pump();
  await finished; const ms = performance.now() - t0; const cpu = process.cpuUsage(c0);
  console.log(JSON.stringify({ stack: name, openMs: Math.round(openMs), MiB: total / 2 ** 20, ms: Math.round(ms), mbit: +((total * 8) / ms / 1000).toFixed(1), cpuMs: Math.round((cpu.user + cpu.system) / 1000) }));
  a.close(); b.close();
}
const which = process.argv[2];
await run(which, stacks[which], 32 * 2 ** 20);
process.exit(0);
