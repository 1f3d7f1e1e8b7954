// The build probe's `--probe-webrtc` (placeholder-main.ts): the agent's WebRTC stack as the
// single-file program loads it (src/p2p/direct-path.ts), two peer connections in this one process
// on this machine's own addresses (no STUN/TURN server), a data channel between them and one
// message of 64 KiB sent and read back. Prints one JSON line; the build tests run it on Linux and
// under wine.
import { createHash } from 'node:crypto';
import { loadNodeWebRtc } from '../src/p2p/direct-path.js';

interface Result {
  stack: boolean;
  state: string;
  sha256?: string;
  expected?: string;
  error?: string;
}

export async function probeWebRtc(timeoutMs = 20_000): Promise<Result> {
  const PeerConnection = (await loadNodeWebRtc())?.();
  if (!PeerConnection) return { stack: false, state: 'not loaded' };
  const a = new PeerConnection({ iceServers: [] });
  const b = new PeerConnection({ iceServers: [] });
  const payload = new Uint8Array(64 * 1024).map((_, i) => (i * 7) & 0xff);
  const expected = createHash('sha256').update(payload).digest('hex');
  let state = 'negotiating';
  try {
    const got = new Promise<Uint8Array>((resolve) => {
      b.ondatachannel = (e) => e.channel.addEventListener('message', (m) => resolve(new Uint8Array(m.data as ArrayBuffer)));
    });
    a.onicecandidate = (e) => void (e.candidate && b.addIceCandidate(e.candidate));
    b.onicecandidate = (e) => void (e.candidate && a.addIceCandidate(e.candidate));
    const dc = a.createDataChannel('probe', { ordered: true });
    dc.onopen = () => {
      state = 'open';
      dc.send(payload.buffer);
    };
    await a.setLocalDescription(await a.createOffer());
    await b.setRemoteDescription(a.localDescription!);
    await b.setLocalDescription(await b.createAnswer());
    await a.setRemoteDescription(b.localDescription!);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no message within ${timeoutMs} ms`)), timeoutMs)));
    const bytes = await Promise.race([got, late]).finally(() => clearTimeout(timer));
    return { stack: true, state: 'received', sha256: createHash('sha256').update(bytes).digest('hex'), expected };
  } catch (err) {
    return { stack: true, state, error: err instanceof Error ? err.message : String(err) };
  } finally {
    a.close();
    b.close();
  }
}
