// The build probe's `--probe-webrtc` (placeholder-main.ts): the agent's WebRTC stack as the
// single-file program loads it (src/p2p/direct-path.ts), two peer connections in this one process
// on this machine's own addresses (no STUN/TURN server), a data channel between them and one
// message of 64 KiB sent and read back. Prints one JSON line; the build tests run it on Linux and
// under wine.
import { createHash } from 'node:crypto';
import { loadNodeWebRtc } from '../src/p2p/direct-path.js';

interface Result {
  stack: boolean;
  /** how far it got: negotiating, offered, answered, open, received */
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
  const exchange = async (): Promise<Uint8Array> => {
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
    state = 'offered';
    await b.setRemoteDescription(a.localDescription!);
    await b.setLocalDescription(await b.createAnswer());
    await a.setRemoteDescription(b.localDescription!);
    state = 'answered';
    return got;
  };
  // the whole exchange under one deadline: any step of a stack can hang
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`stuck after ${timeoutMs} ms`)), timeoutMs)));
  try {
    const bytes = await Promise.race([exchange(), late]);
    return { stack: true, state: 'received', sha256: createHash('sha256').update(bytes).digest('hex'), expected };
  } catch (err) {
    return { stack: true, state, error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
    a.close();
    b.close();
  }
}
