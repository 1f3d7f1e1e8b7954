import type { ControlMessage } from '@fernhilfe/protocol';

/**
 * Tells the technician whether the customer sees the session panel (`session-panel` control
 * message): the panel sets it when its window is up or gone, the session attaches its sender when it
 * opens. Whatever was set before the session opened is sent on attach.
 */
export class PanelNotice {
  private send: ((message: ControlMessage) => void) | undefined;
  private shown = false;

  attach(send: (message: ControlMessage) => void): () => void {
    this.send = send;
    if (this.shown) send({ type: 'session-panel', shown: true });
    return () => {
      if (this.send === send) this.send = undefined;
    };
  }

  set(shown: boolean): void {
    if (shown === this.shown) return;
    this.shown = shown;
    this.send?.({ type: 'session-panel', shown });
  }
}
