import type { SecureSession, SessionEnd } from '@fernhilfe/client';
import { LogicalChannel, type ControlMessage } from '@fernhilfe/protocol';
import type { Size } from '../media/canvas-fit';
import { emptyStats, type QualityStats } from '../media/quality-meter';
import { ScreenViewer, type ScreenState, type ScreenViewerOptions } from '../media/screen-viewer';
import { Store } from '../state/store';
import { ChatLog, type ChatEntry } from './chat';

export interface LiveSessionState {
  screen: ScreenState;
  frameSize: Size;
  quality: QualityStats;
  chat: readonly ChatEntry[];
  ended: SessionEnd | undefined;
  /** a connection dropped and the session is reconnecting by itself ("connection lost, reconnecting…") */
  reconnecting?: boolean;
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
  private readonly chat: ChatLog;
  private readonly handlers: ControlHandlers;

  constructor(
    /** the customer's nine-digit ID */
    readonly customerId: string,
    private readonly session: SecureSession,
    opts: { viewer?: ScreenViewerOptions } = {},
  ) {
    this.store = new Store<LiveSessionState>({ screen: { kind: 'waiting' }, frameSize: { width: 0, height: 0 }, quality: emptyStats, chat: [], ended: undefined });
    this.chat = new ChatLog((text) => session.sendControl({ type: 'chat', text }), (chat) => this.store.set({ chat }));
    this.viewer = new ScreenViewer(
      {
        sendControl: (message) => this.send(message),
        onState: (screen) => this.store.set({ screen }),
        onFrameSize: (frameSize) => this.store.set({ frameSize }),
        onStats: (quality) => this.store.set({ quality }),
      },
      opts.viewer,
    );
    this.handlers = {
      chat: (m) => this.chat.handleIncoming(m.text),
      'video-config': (m) => this.viewer.handleControl(m),
      'video-stop': (m) => this.viewer.handleControl(m),
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
    });
    session.on('ended', (end) => {
      this.viewer.close();
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

  private send(message: ControlMessage): void {
    if (this.session.isOpen) void this.session.sendControl(message).catch(() => undefined);
  }
}
