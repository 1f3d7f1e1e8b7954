import type { ControlMessage } from '@fernhilfe/protocol';
import { Store } from '../state/store';

/**
 * Remote control as the technician sees it. One small state machine for control, one for the
 * clipboard (the customer decides both in their module):
 *
 *   off ──request──▶ waiting ──granted──▶ granted ──revoked──▶ revoked
 *                       │                    │
 *                    refused            release ──▶ off
 *
 * From refused, revoked and unsupported a new request starts over; release from waiting withdraws it.
 */
export type ControlStatus = 'off' | 'waiting' | 'granted' | 'refused' | 'revoked' | 'unsupported';
export type ClipboardStatus = 'off' | 'waiting' | 'allowed' | 'refused' | 'revoked' | 'unsupported';

export interface RemoteControlState {
  control: ControlStatus;
  clipboard: ClipboardStatus;
  /** the customer's latest clipboard text (while allowed) */
  customerClipboard: string | undefined;
}

type Step = 'request' | 'release' | 'granted' | 'refused' | 'unsupported' | 'revoked';

const controlMachine: Record<ControlStatus, Partial<Record<Step, ControlStatus>>> = {
  off: { request: 'waiting' },
  waiting: { granted: 'granted', refused: 'refused', unsupported: 'unsupported', release: 'off' },
  granted: { revoked: 'revoked', release: 'off', granted: 'granted' },
  refused: { request: 'waiting' },
  revoked: { request: 'waiting', granted: 'granted' },
  unsupported: { request: 'waiting' },
};

const clipboardMachine: Record<ClipboardStatus, Partial<Record<Step, ClipboardStatus>>> = {
  off: { request: 'waiting', granted: 'allowed' },
  waiting: { granted: 'allowed', refused: 'refused', unsupported: 'unsupported', release: 'off' },
  allowed: { revoked: 'revoked', release: 'off', granted: 'allowed' },
  refused: { request: 'waiting', granted: 'allowed' },
  revoked: { request: 'waiting', granted: 'allowed' },
  unsupported: { request: 'waiting' },
};

export type RemoteControlMessage = Extract<
  ControlMessage,
  { type: `control-${string}` | `clipboard-${string}` }
>;

export class RemoteControl {
  readonly store = new Store<RemoteControlState>({ control: 'off', clipboard: 'off', customerClipboard: undefined });

  constructor(private readonly send: (message: ControlMessage) => void) {}

  requestControl(): void {
    if (this.moveControl('request')) this.send({ type: 'control-request' });
  }

  releaseControl(): void {
    if (this.moveControl('release')) this.send({ type: 'control-release' });
  }

  requestClipboard(): void {
    if (this.moveClipboard('request')) this.send({ type: 'clipboard-request' });
  }

  releaseClipboard(): void {
    if (this.moveClipboard('release')) {
      this.send({ type: 'clipboard-release' });
      this.store.set({ customerClipboard: undefined });
    }
  }

  /** Sends text to the customer's clipboard; false when the clipboard is not shared. */
  sendClipboard(text: string): boolean {
    if (this.store.get().clipboard !== 'allowed') return false;
    this.send({ type: 'clipboard-text', text });
    return true;
  }

  /** The session ended or the view closed: nothing is controlled any more. */
  reset(): void {
    this.store.set({ control: 'off', clipboard: 'off', customerClipboard: undefined });
  }

  /** Messages from the customer's side (the ones meant for the customer are ignored here). */
  handle(message: RemoteControlMessage): void {
    switch (message.type) {
      case 'control-granted':
        return void this.moveControl('granted');
      case 'control-refused':
        return void this.moveControl(message.reason === 'unsupported' ? 'unsupported' : 'refused');
      case 'control-revoked':
        return void this.moveControl('revoked');
      case 'clipboard-allowed':
        return void this.moveClipboard('granted');
      case 'clipboard-refused':
        return void this.moveClipboard(message.reason === 'unsupported' ? 'unsupported' : 'refused');
      case 'clipboard-revoked':
        this.moveClipboard('revoked');
        return this.store.set({ customerClipboard: undefined });
      case 'clipboard-text':
        if (this.store.get().clipboard === 'allowed') this.store.set({ customerClipboard: message.text });
        return;
      default:
        return; // control-request, control-release, clipboard-request, clipboard-release go to the customer
    }
  }

  /** Applies a step; a step the machine does not have in this state changes nothing (false). */
  private moveControl(step: Step): boolean {
    const to = controlMachine[this.store.get().control][step];
    if (to === undefined) return false;
    this.store.set({ control: to });
    return true;
  }

  private moveClipboard(step: Step): boolean {
    const to = clipboardMachine[this.store.get().clipboard][step];
    if (to === undefined) return false;
    this.store.set({ clipboard: to });
    return true;
  }
}
