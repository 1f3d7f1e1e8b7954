import { DirectUpgrade, type PeerConnectionClass, type SecureSession, type SessionEnd, type SessionPath } from '@fernhilfe/client';
import { LogicalChannel, encodeInputEvent, type ControlMessage, type InputEvent } from '@fernhilfe/protocol';
import { RemoteControl } from '../control/remote-control';
import { ConsoleFiles } from '../files/console-files';
import type { Size } from '../media/canvas-fit';
import { emptyStats, type QualityStats } from '../media/quality-meter';
import { ScreenViewer, type ScreenState, type ScreenViewerOptions, type VideoRate } from '../media/screen-viewer';
import { RemoteScreen } from '../media/remote-screen';
import { RecordingControl } from '../recording/recording-control';
import { startRecorder } from '../recording/recorder';
import { recordingUpload } from '../recording/upload';
import { shownView } from '../recording/view';
import { Store } from '../state/store';
import { ChatLog, type ChatEntry } from './chat';

export interface LiveSessionState {
  screen: ScreenState;
  frameSize: Size;
  quality: QualityStats;
  /** the sender's rate control (`video-rate`), while the screen is shared; none from a browser share or an older agent */
  rate?: VideoRate;
  chat: readonly ChatEntry[];
  ended: SessionEnd | undefined;
  /** a connection dropped and the session is reconnecting by itself ("connection lost, reconnecting…") */
  reconnecting?: boolean;
  /** direct between the two browsers, via the TURN server, or relayed through our server (docs/p2p.md) */
  path?: SessionPath;
  /** the native agent shows the customer its always-on-top session panel (`session-panel`); never from a browser-only customer */
  customerPanel?: boolean;
}

type ControlHandlers = { [K in ControlMessage['type']]: (message: Extract<ControlMessage, { type: K }>) => void };
const ignore = (): void => undefined;

/**
 * One technician session as the console sees it: wires the encrypted session to the screen viewer
 * and the chat, and keeps what the UI shows in a store.
 */
export class LiveSession {
  readonly store: Store<LiveSessionState>;
  readonly viewer: ScreenViewer;
  /** the native agent's monitors and pointer (media/remote-screen.ts) */
  readonly remote: RemoteScreen;
  /** remote control and clipboard (control/remote-control.ts) */
  readonly control: RemoteControl;
  /** file transfer both ways (files/console-files.ts) */
  readonly files: ConsoleFiles;
  /** recording with the customer's consent (recording/, docs/recording.md) */
  readonly recording: RecordingControl;
  private readonly chat: ChatLog;
  private readonly handlers: ControlHandlers;
  private readonly upgrade: DirectUpgrade;

  constructor(
    /** the customer's nine-digit ID */
    readonly customerId: string,
    private readonly session: SecureSession,
    opts: { viewer?: ScreenViewerOptions; peerConnection?: PeerConnectionClass } = {},
  ) {
    this.store = new Store<LiveSessionState>({ screen: { kind: 'waiting' }, frameSize: { width: 0, height: 0 }, quality: emptyStats, chat: [], ended: undefined });
    this.control = new RemoteControl((message) => this.send(message));
    this.files = new ConsoleFiles({ sendControl: (m) => session.sendControl(m), sendData: (c, b) => session.sendData(c, b), report: (r) => session.report(r) }, session.filePolicy);
    this.remote = new RemoteScreen((message) => this.send(message));
    this.recording = new RecordingControl(
      (message) => this.send(message),
      (publicKey) => startRecorder(shownView(this.remote, () => this.store.get().rate?.scale ?? 1), publicKey, recordingUpload(customerId)),
    );
    this.chat = new ChatLog((text) => session.sendControl({ type: 'chat', text }), (chat) => this.store.set({ chat }));
    this.viewer = new ScreenViewer(
      {
        sendControl: (message) => this.send(message),
        onState: (screen) => this.store.set({ screen }),
        onFrameSize: (frameSize) => this.store.set({ frameSize }),
        onStats: (quality) => this.store.set({ quality }),
        onRate: (rate) => this.store.set({ rate }),
      },
      opts.viewer,
    );
    // the peer-to-peer upgrade: the browser's own WebRTC (absent -> the session stays relayed)
    this.upgrade = new DirectUpgrade({
      role: 'technician',
      routes: session.routes,
      send: (m) => session.sendControl(m),
      PeerConnection: opts.peerConnection ?? (typeof RTCPeerConnection === 'function' ? RTCPeerConnection : undefined),
    });
    this.upgrade.on('path', ({ path }) => this.store.set({ path }));
    this.handlers = {
      chat: (m) => this.chat.handleIncoming(m.text),
      'p2p-offer': (m) => this.upgrade.handleMessage(m),
      'p2p-answer': (m) => this.upgrade.handleMessage(m),
      'p2p-candidate': (m) => this.upgrade.handleMessage(m),
      'p2p-close': (m) => this.upgrade.handleMessage(m),
      'session-panel': (m) => this.store.set({ customerPanel: m.shown }),
      'video-config': (m) => this.viewer.handleControl(m),
      'video-rate': (m) => this.viewer.handleControl(m),
      'video-stop': (m) => this.viewer.handleControl(m),
      'screen-monitors': (m) => this.remote.handle(m),
      'cursor-shape': (m) => this.remote.handle(m),
      'cursor-position': (m) => this.remote.handle(m),
      'screen-select-monitor': ignore, // the technician's own choice (sent, never received)
      'control-granted': (m) => this.control.handle(m),
      'control-refused': (m) => this.control.handle(m),
      'control-revoked': (m) => this.control.handle(m),
      'clipboard-allowed': (m) => this.control.handle(m),
      'clipboard-refused': (m) => this.control.handle(m),
      'clipboard-revoked': (m) => this.control.handle(m),
      'clipboard-text': (m) => this.control.handle(m),
      'file-offer': (m) => this.files.handleControl(m),
      'file-accept': (m) => this.files.handleControl(m),
      'file-refuse': (m) => this.files.handleControl(m),
      'file-ack': (m) => this.files.handleControl(m),
      'file-complete': (m) => this.files.handleControl(m),
      'file-verified': (m) => this.files.handleControl(m),
      'file-cancel': (m) => this.files.handleControl(m),
      'file-resume': (m) => this.files.handleControl(m),
      'file-request': ignore, // the technician asks; the customer never does
      // the technician's own requests (sent, never received)
      'control-request': ignore,
      'control-release': ignore,
      'clipboard-request': ignore,
      'clipboard-release': ignore,
      'recording-allowed': (m) => this.recording.handle(m),
      'recording-refused': (m) => this.recording.handle(m),
      'recording-revoked': (m) => this.recording.handle(m),
      'recording-request': ignore,
      'recording-release': ignore,
      // sender-side messages, pings (answered by the session) and bye (ends the session there)
      'video-ack': ignore,
      'keyframe-request': ignore,
      ping: ignore,
      pong: ignore,
      bye: ignore,
    };
    session.on('control', (message) => (this.handlers[message.type] as (m: ControlMessage) => void)(message));
    session.on('data', ({ channel, bytes }) => {
      if (channel === LogicalChannel.video) this.viewer.handleVideo(bytes);
      else if (channel === LogicalChannel.files) this.files.handleData(channel, bytes);
    });
    session.on('ended', (end) => {
      this.upgrade.close();
      this.viewer.close();
      this.control.reset();
      this.files.handleEnded();
      this.recording.handleEnded();
      this.store.set({ ended: end, reconnecting: false });
    });
    session.on('connection-lost', () => this.store.set({ reconnecting: true }));
    session.on('reconnected', () => this.store.set({ reconnecting: false }));
    if (session.isOpen) this.viewer.start();
    else this.store.set({ ended: session.endInfo });
  }

  /** "123 456": to compare with the customer on the phone. */
  get sas(): string {
    return this.session.sas;
  }

  get isOpen(): boolean {
    return this.session.isOpen;
  }

  /** Called once when the session ends, for whatever reason. */
  onEnded(listener: (end: SessionEnd) => void): () => void {
    return this.session.on('ended', listener);
  }

  sendChat(text: string): Promise<boolean> {
    return this.chat.send(text);
  }

  async end(): Promise<void> {
    await this.session.end();
  }

  /** A mouse or keyboard event for the customer's desktop; sent only while control is granted. */
  sendInput(event: InputEvent): void {
    if (!this.session.isOpen) return;
    if (this.control.store.get().control !== 'granted' && event.type !== 'release-all') return;
    void this.session.sendData(LogicalChannel.input, encodeInputEvent(event)).catch(() => undefined);
  }

  private send(message: ControlMessage): void {
    if (this.session.isOpen) void this.session.sendControl(message).catch(() => undefined);
  }
}
