import type { ControlMessage, P2pCloseReason } from '@fernhilfe/protocol';
import { Emitter, InvariantError } from '@fernhilfe/protocol';

/** The RTCPeerConnection class to use: the browser's own, or @roamhq/wrtc's in Node. */
export type PeerConnectionClass = new (config: RTCConfiguration) => RTCPeerConnection;

export type P2pSignal = Extract<ControlMessage, { type: 'p2p-offer' | 'p2p-answer' | 'p2p-candidate' | 'p2p-close' }>;

/** How the direct channel travels: straight between the endpoints, or through the TURN server. */
export type DirectKind = 'direct' | 'turn';

export interface PeerAttemptEvents extends Record<string, unknown> {
  /** a signalling message for the peer (sent inside the encrypted session) */
  signal: P2pSignal;
  /** the data channel is open */
  open: RTCDataChannel;
  /** the attempt is over: it never opened (timeout, failed) or broke after it opened (broken) */
  failed: { reason: P2pCloseReason; detail?: string };
}

export interface PeerAttemptOptions {
  attempt: number;
  role: 'offerer' | 'answerer';
  PeerConnection: PeerConnectionClass;
  /** read when the connection is made (the customer may get its servers just after the offer) */
  iceServers: () => RTCIceServer[];
  /** the channel must open within this long */
  timeoutMs: number;
}

/**
 * One try at a direct WebRTC data channel (ordered, reliable), from offer to close:
 *
 *   negotiating --channel open--> open --ICE failed / disconnected, channel closed--> closed (failed: broken)
 *   negotiating --timeout / ICE failed / error--> closed (failed: timeout | failed)
 *   any --close()--> closed (no event)
 *
 * Signalling goes out as `signal` events and comes in through handle*(); it never sees the session.
 */
export class PeerAttempt extends Emitter<PeerAttemptEvents> {
  private pcValue: RTCPeerConnection | undefined;
  private state: 'negotiating' | 'open' | 'closed' = 'negotiating';
  private remoteSet = false;
  private pending: RTCIceCandidateInit[] = [];
  private readonly timer: ReturnType<typeof setTimeout>;

  constructor(private readonly opts: PeerAttemptOptions) {
    super();
    this.timer = setTimeout(() => this.fail('timeout', 'the direct channel did not open in time'), opts.timeoutMs);
  }

  /** Made on first use, so that the ICE servers known by then are used. */
  private get pc(): RTCPeerConnection {
    if (this.pcValue) return this.pcValue;
    const pc = new this.opts.PeerConnection({ iceServers: this.opts.iceServers(), bundlePolicy: 'max-bundle' });
    this.pcValue = pc;
    pc.onicecandidate = (e) => {
      const c = e.candidate;
      if (!c?.candidate || this.state === 'closed') return;
      this.emit('signal', { type: 'p2p-candidate', attempt: this.opts.attempt, candidate: c.candidate, sdpMid: c.sdpMid ?? null, sdpMLineIndex: c.sdpMLineIndex ?? null });
    };
    pc.oniceconnectionstatechange = () => this.onIceState(pc.iceConnectionState);
    if (this.opts.role === 'answerer') pc.ondatachannel = (e) => this.watch(e.channel);
    return pc;
  }

  get attempt(): number {
    return this.opts.attempt;
  }

  /** Fresh TURN credentials from the server: a live connection uses them for any new allocation (ICE restart). */
  updateIceServers(iceServers: RTCIceServer[]): void {
    const pc = this.pcValue;
    if (!pc || this.state === 'closed') return;
    try {
      pc.setConfiguration({ ...pc.getConfiguration(), iceServers });
    } catch {
      // an implementation that cannot change them keeps the old ones; the next attempt reads the new ones
    }
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  /** Offerer: makes the channel and the offer. */
  async offer(): Promise<void> {
    await this.step(async () => {
      this.watch(this.pc.createDataChannel('fernhilfe', { ordered: true }));
      await this.pc.setLocalDescription(await this.pc.createOffer());
      this.emit('signal', { type: 'p2p-offer', attempt: this.opts.attempt, sdp: this.localSdp() });
    });
  }

  /** Answerer: takes the offer, answers. */
  async handleOffer(sdp: string): Promise<void> {
    await this.step(async () => {
      await this.pc.setRemoteDescription({ type: 'offer', sdp });
      await this.remoteDescriptionSet();
      await this.pc.setLocalDescription(await this.pc.createAnswer());
      this.emit('signal', { type: 'p2p-answer', attempt: this.opts.attempt, sdp: this.localSdp() });
    });
  }

  async handleAnswer(sdp: string): Promise<void> {
    await this.step(async () => {
      await this.pc.setRemoteDescription({ type: 'answer', sdp });
      await this.remoteDescriptionSet();
    });
  }

  async handleCandidate(c: { candidate: string; sdpMid: string | null; sdpMLineIndex: number | null }): Promise<void> {
    const init: RTCIceCandidateInit = { candidate: c.candidate, sdpMid: c.sdpMid, sdpMLineIndex: c.sdpMLineIndex };
    if (!this.remoteSet) return void (this.pending.length < 64 && this.pending.push(init));
    // one unusable candidate (e.g. an address family this host lacks) does not end the attempt
    await this.pc.addIceCandidate(init).catch(() => undefined);
  }

  /** Direct or via TURN: the type of the candidate pair ICE selected (undefined if it cannot be told). */
  async kind(): Promise<DirectKind | undefined> {
    if (!this.pcValue) return undefined;
    try {
      const stats = await this.pc.getStats();
      const byId = new Map<string, Record<string, unknown>>();
      stats.forEach((s: Record<string, unknown>) => byId.set(String(s.id), s));
      let pair: Record<string, unknown> | undefined;
      for (const s of byId.values()) {
        if (s.type === 'transport' && typeof s.selectedCandidatePairId === 'string') pair = byId.get(s.selectedCandidatePairId);
      }
      pair ??= [...byId.values()].find((s) => s.type === 'candidate-pair' && s.nominated === true && s.state === 'succeeded');
      if (!pair) return undefined;
      const types = [byId.get(String(pair.localCandidateId))?.candidateType, byId.get(String(pair.remoteCandidateId))?.candidateType];
      return types.includes('relay') ? 'turn' : 'direct';
    } catch {
      return undefined;
    }
  }

  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    clearTimeout(this.timer);
    const pc = this.pcValue;
    if (!pc) return;
    pc.onicecandidate = null;
    pc.oniceconnectionstatechange = null;
    pc.ondatachannel = null;
    pc.close();
  }

  private async remoteDescriptionSet(): Promise<void> {
    this.remoteSet = true;
    const pending = this.pending;
    this.pending = [];
    for (const c of pending) await this.pc.addIceCandidate(c).catch(() => undefined);
  }

  private watch(dc: RTCDataChannel): void {
    if (dc.readyState === 'open') return this.opened(dc);
    dc.onopen = () => this.opened(dc);
  }

  private opened(dc: RTCDataChannel): void {
    if (this.state !== 'negotiating') return dc.close();
    this.state = 'open';
    clearTimeout(this.timer);
    dc.addEventListener('close', () => this.fail('broken', 'the direct channel closed'));
    this.emit('open', dc);
  }

  private onIceState(state: RTCIceConnectionState): void {
    if (state === 'failed') this.fail(this.state === 'open' ? 'broken' : 'failed', 'ICE failed');
    // after it worked, a silent path is given up at once: the relay takes over without loss
    else if (state === 'disconnected' && this.state === 'open') this.fail('broken', 'ICE disconnected');
  }

  private localSdp(): string {
    const sdp = this.pc.localDescription?.sdp;
    if (!sdp) throw new InvariantError('no local description');
    return sdp;
  }

  private async step(run: () => Promise<void>): Promise<void> {
    if (this.state === 'closed') return;
    try {
      await run();
    } catch (err) {
      this.fail('failed', err instanceof Error ? err.message : String(err));
    }
  }

  private fail(reason: P2pCloseReason, detail: string): void {
    if (this.state === 'closed') return;
    this.close();
    this.emit('failed', { reason, detail });
  }
}
