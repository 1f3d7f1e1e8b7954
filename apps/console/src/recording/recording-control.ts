import type { ControlMessage, RecordingPolicyInfo } from '@fernhilfe/protocol';
import { Store } from '../state/store';
import type { RecordingSink } from './recorder';

/**
 * Recording as the technician sees it (docs/recording.md):
 *
 *   off ──ask──▶ asking ──allowed──▶ recording ──stop / revoked──▶ saving ──▶ saved | failed
 *                   │ refused / release
 *                   ▼
 *                refused (or off)
 */
export type RecordingStatus = 'off' | 'asking' | 'recording' | 'saving' | 'saved' | 'refused' | 'failed';

export interface RecordingState {
  status: RecordingStatus;
  policy: RecordingPolicyInfo['policy'];
  /** after saving: the ciphertext's size and SHA-256, as in the audit trail */
  saved?: { size: number; sha256: string };
  /** while recording: when the recorder started (Date.now()), for the running time beside the mark */
  startedAt?: number;
}

export type RecordingMessage = Extract<ControlMessage, { type: `recording-${string}` }>;

export class RecordingControl {
  readonly store = new Store<RecordingState>({ status: 'off', policy: 'off' });
  private publicKey: string | null = null;
  private sink: RecordingSink | undefined;

  constructor(
    private readonly send: (message: ControlMessage) => void,
    private readonly startSink: (publicKey: string) => Promise<RecordingSink>,
  ) {}

  /** The server's policy; with `required` the customer is asked at once. */
  setPolicy(info: RecordingPolicyInfo): void {
    this.publicKey = info.publicKey;
    this.store.set({ policy: info.policy });
    if (info.policy === 'required') this.ask();
  }

  ask(): void {
    const { status, policy } = this.store.get();
    if (policy === 'off' || !this.publicKey || status === 'asking' || status === 'recording' || status === 'saving') return;
    this.store.set({ status: 'asking', saved: undefined });
    this.send({ type: 'recording-request', required: policy === 'required' });
  }

  /** The technician's Stop (or withdrawing the question). */
  stop(): void {
    const { status } = this.store.get();
    if (status === 'asking') {
      this.send({ type: 'recording-release' });
      this.store.set({ status: 'off' });
    } else if (status === 'recording') {
      this.send({ type: 'recording-release' });
      void this.finish('technician');
    }
  }

  handle(message: RecordingMessage): void {
    const { status } = this.store.get();
    switch (message.type) {
      case 'recording-allowed':
        if (status === 'asking') void this.begin();
        return;
      case 'recording-refused':
        if (status === 'asking') this.store.set({ status: 'refused' });
        return;
      case 'recording-revoked':
        if (status === 'recording') void this.finish('customer');
        return;
      default:
        return; // the technician's own messages (sent, never received)
    }
  }

  /** The session ended: a running recording is saved with what it has. */
  handleEnded(): void {
    if (this.store.get().status === 'recording') void this.finish('session-end');
    else if (this.store.get().status === 'asking') this.store.set({ status: 'off' });
  }

  private async begin(): Promise<void> {
    if (!this.publicKey) return;
    this.store.set({ status: 'recording' });
    try {
      this.sink = await this.startSink(this.publicKey);
      this.store.set({ startedAt: Date.now() });
    } catch {
      this.store.set({ status: 'failed' });
      this.send({ type: 'recording-release' });
    }
  }

  private async finish(by: 'technician' | 'customer' | 'session-end'): Promise<void> {
    this.store.set({ status: 'saving', startedAt: undefined });
    const sink = this.sink;
    this.sink = undefined;
    try {
      const saved = sink ? await sink.stop(by) : undefined;
      this.store.set(saved ? { status: 'saved', saved } : { status: 'failed' });
    } catch {
      this.store.set({ status: 'failed' });
    }
  }
}
