import { AGENT_WS_PATH, decodeMessage, toPageSchema, type CustomerFlowState, type FromPage, type ToPage } from '@fernhilfe/protocol';

type FileMessage = Extract<ToPage, { type: 'files' | 'file-read' | 'file-release' }>;
export type DesktopView = Extract<ToPage, { type: 'desktop' }>['desktop'];
export type DesktopConsentView = Extract<ToPage, { type: 'desktop-consent' }>['state'];

export interface AgentLinkHandlers {
  state(state: CustomerFlowState): void;
  /** file transfer: the agent's view, its reads of a picked file, its release (agent-files.ts) */
  files(message: FileMessage): void;
  /** Windows: an elevated window in front, the secure desktop */
  desktop(desktop: DesktopView): void;
  /** Wayland: the desktop's own sharing dialog asks the customer, or was answered */
  desktopConsent(state: DesktopConsentView): void;
  /** the link is gone; `closing`: the agent said it exits (after the end), else it vanished */
  gone(closing: boolean): void;
}

/**
 * The page's WebSocket to its agent on 127.0.0.1 (same origin; the agent's cookie authenticates it).
 * Every message is parsed with the agent's schemas (packages/protocol/src/agent-page/messages.ts).
 */
export class AgentLink {
  private closing = false;
  private goneCalled = false;

  private constructor(
    private readonly ws: WebSocket,
    private readonly handlers: AgentLinkHandlers,
  ) {
    ws.addEventListener('message', (event) => {
      if (typeof event.data !== 'string') return;
      const msg = decodeMessage(toPageSchema, event.data);
      if (!msg.ok) return console.error(`agent sent a bad message: ${msg.error}`);
      const m = msg.value;
      if (m.type === 'closing') this.closing = true;
      else if (m.type === 'state') handlers.state(m.state);
      else if (m.type === 'desktop') handlers.desktop(m.desktop);
      else if (m.type === 'desktop-consent') handlers.desktopConsent(m.state);
      else handlers.files(m);
    });
    ws.addEventListener('close', () => this.gone());
  }

  static connect(handlers: AgentLinkHandlers, loc: Location = location): AgentLink {
    const ws = new WebSocket(`ws://${loc.host}${AGENT_WS_PATH}`);
    const link = new AgentLink(ws, handlers);
    ws.addEventListener('error', () => link.gone());
    return link;
  }

  send(message: FromPage): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  /** a binary frame: only the answer to the agent's read of a picked file */
  sendBinary(bytes: Uint8Array): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(bytes);
  }

  private gone(): void {
    if (this.goneCalled) return;
    this.goneCalled = true;
    this.handlers.gone(this.closing);
  }
}
