import type { PeerConnectionClass } from '@fernhilfe/client';
import { RTCPeerConnection as WeriftConnection, type RTCDataChannel as WeriftChannel } from 'werift';

/**
 * werift (WebRTC in TypeScript: ICE with STUN/TURN, DTLS, SCTP) behind the part of the browser's
 * RTCPeerConnection that @fernhilfe/client's PeerAttempt uses, so the agent passes it to
 * startDirectUpgrade like a browser passes its own. Pure JavaScript: it goes into the single-file
 * program (docs/p2p.md, "Which WebRTC stack"). Only what PeerAttempt and dataChannelTransport touch
 * is here; everything else of the DOM interface is absent.
 */

interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

type Listener = (event: { data?: unknown }) => void;

const flatten = (servers: readonly IceServer[]) => servers.flatMap((s) => (Array.isArray(s.urls) ? s.urls : [s.urls]).map((url) => ({ ...s, urls: url })));
const isTurn = (url: string) => /^turns?:/i.test(url);
/** TURN over UDP first, then TCP, then TLS (the order a browser would try them) */
const turnRank = (url: string) => (/^turn:.*transport=udp/i.test(url) ? 0 : /^turn:(?!.*transport=)/i.test(url) ? 1 : /^turn:/i.test(url) ? 2 : 3);

/**
 * werift uses one STUN and one TURN server (the first of each), where a browser tries them all. So
 * the servers for the `n`-th connection of a session (0, 1, …): the first STUN server and one TURN
 * URL, taking turns over UDP, TCP, TLS from one attempt to the next; a network that lets no UDP
 * out still gets a relay on the technician's next attempt (docs/p2p.md: retries after 10 s, 60 s, 5 min).
 */
export function iceServersForAttempt(servers: readonly IceServer[], n: number): IceServer[] {
  const flat = flatten(servers);
  const stun = flat.filter((s) => /^stuns?:/i.test(s.urls)).slice(0, 1);
  const turn = flat.filter((s) => isTurn(s.urls)).sort((a, b) => turnRank(a.urls) - turnRank(b.urls));
  return turn.length === 0 ? stun : [...stun, turn[n % turn.length]!];
}

/** A werift data channel as the browser's: binary messages as ArrayBuffer, send() takes one. */
class DataChannel {
  binaryType = 'arraybuffer';
  constructor(private readonly dc: WeriftChannel) {}

  get readyState(): string {
    return this.dc.readyState;
  }
  get bufferedAmount(): number {
    return this.dc.bufferedAmount;
  }
  get label(): string {
    return this.dc.label;
  }
  set onopen(fn: (() => void) | null) {
    this.dc.onopen = fn ?? undefined;
  }
  addEventListener(type: 'message' | 'close' | 'error' | 'open', fn: Listener): void {
    if (type !== 'message') return void this.dc.addEventListener(type, () => fn({}));
    this.dc.addEventListener('message', (e: { data: string | Buffer }) => {
      const d = e.data;
      fn({ data: typeof d === 'string' ? d : d.buffer.slice(d.byteOffset, d.byteOffset + d.byteLength) });
    });
  }
  send(data: ArrayBuffer | Uint8Array | string): void {
    this.dc.send(typeof data === 'string' ? data : Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data));
  }
  close(): void {
    this.dc.close();
  }
}

class PeerConnection {
  private readonly pc: WeriftConnection;
  private iceServers: IceServer[];

  /** `n`: this session's n-th connection (which TURN transport it uses) */
  constructor(config: { iceServers?: IceServer[] }, private readonly n: number) {
    // never werift's default STUN server (a public one): only what our server sent
    this.iceServers = iceServersForAttempt(config.iceServers ?? [], n);
    this.pc = new WeriftConnection({ iceServers: this.iceServers, bundlePolicy: 'max-bundle' });
  }

  set onicecandidate(fn: ((e: { candidate: { candidate: string; sdpMid: string | null; sdpMLineIndex: number | null } | null }) => void) | null) {
    this.pc.onicecandidate = fn
      ? (e) => {
          const c = e.candidate;
          fn({ candidate: c?.candidate ? { candidate: c.candidate, sdpMid: c.sdpMid ?? null, sdpMLineIndex: c.sdpMLineIndex ?? null } : null });
        }
      : null;
  }
  set oniceconnectionstatechange(fn: (() => void) | null) {
    this.pc.oniceconnectionstatechange = fn;
  }
  set ondatachannel(fn: ((e: { channel: DataChannel }) => void) | null) {
    this.pc.ondatachannel = fn ? (e) => fn({ channel: new DataChannel(e.channel) }) : null;
  }
  get iceConnectionState(): string {
    return this.pc.iceConnectionState;
  }
  get localDescription(): { type: string; sdp: string } | null {
    const d = this.pc.localDescription;
    return d ? { type: d.type, sdp: d.sdp } : null;
  }

  createDataChannel(label: string, opts: { ordered?: boolean } = {}): DataChannel {
    return new DataChannel(this.pc.createDataChannel(label, { ordered: opts.ordered ?? true }));
  }
  async createOffer(): Promise<{ type: 'offer'; sdp: string }> {
    const d = await this.pc.createOffer();
    return { type: 'offer', sdp: d.sdp };
  }
  async createAnswer(): Promise<{ type: 'answer'; sdp: string }> {
    const d = await this.pc.createAnswer();
    return { type: 'answer', sdp: d.sdp };
  }
  async setLocalDescription(d: { type: 'offer' | 'answer'; sdp: string }): Promise<void> {
    await this.pc.setLocalDescription(d);
  }
  async setRemoteDescription(d: { type: 'offer' | 'answer'; sdp: string }): Promise<void> {
    await this.pc.setRemoteDescription(d);
  }
  async addIceCandidate(c: { candidate?: string; sdpMid?: string | null; sdpMLineIndex?: number | null }): Promise<void> {
    await this.pc.addIceCandidate({ candidate: c.candidate ?? '', sdpMid: c.sdpMid ?? undefined, sdpMLineIndex: c.sdpMLineIndex ?? undefined });
  }
  /** werift's report is a Map of stats with the browser's fields (transport, candidate-pair, candidateType) */
  async getStats(): Promise<{ forEach(fn: (s: Record<string, unknown>) => void): void }> {
    const report = await this.pc.getStats();
    return { forEach: (fn) => report.forEach((s) => fn({ ...s })) };
  }
  getConfiguration(): { iceServers: IceServer[] } {
    return { iceServers: this.iceServers };
  }
  /** New TURN credentials: werift applies them to gathering that has not started yet (the next ICE restart). */
  setConfiguration(config: { iceServers?: IceServer[] }): void {
    this.iceServers = iceServersForAttempt(config.iceServers ?? [], this.n);
    this.pc.setConfiguration({ iceServers: this.iceServers });
  }
  close(): void {
    void this.pc.close();
  }
}

/**
 * werift as the RTCPeerConnection class startDirectUpgrade takes (the browser-shaped subset above),
 * one class per session: it counts the session's connections to rotate the TURN transport.
 */
export function weriftPeerConnection(): PeerConnectionClass {
  let made = 0;
  class SessionPeerConnection extends PeerConnection {
    constructor(config: { iceServers?: IceServer[] }) {
      super(config, made++);
    }
  }
  return SessionPeerConnection as unknown as PeerConnectionClass;
}
