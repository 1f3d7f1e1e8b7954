import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Branding } from '@fernhilfe/protocol';
import { WebSocketServer, type WebSocket } from 'ws';
import { InvariantError, parseCaseCode, type CaseCredentials } from '@fernhilfe/protocol';
import type { AgentApp } from '../app/agent-app.js';
import type { ElevationWatch } from '../app/elevation-watch.js';
import type { Log } from '../app/log.js';
import type { UiAsset } from './assets.js';
import { UiGuard } from './guard.js';
import { agentIndex, brandingAsset, securityHeaders, send } from './http.js';
import { AGENT_WS_PATH, MAX_PAGE_READ, PAGE_READ_HEADER, decodeMessage, fromPageSchema, type FromPage, type ToPage } from '@fernhilfe/protocol';
import { PageReads } from './page-source.js';
import { desktopConsent } from '../platform/desktop-consent.js';

/** The answer to a second use of the one-time link (a plain page: the customer may see it). */
const usedLink = {
  en: 'This link has already been used. For your safety it opens the support page only once, and the support session has been ended.\nIf you did not open it twice yourself, another program on this computer may have. Please start the support program again.\n',
  de: 'Dieser Link wurde bereits verwendet. Zu Ihrer Sicherheit öffnet er die Support-Seite nur einmal, und die Support-Sitzung wurde beendet.\nFalls Sie ihn nicht selbst zweimal geöffnet haben, hat es möglicherweise ein anderes Programm auf diesem Computer getan. Bitte starten Sie das Support-Programm neu.\n',
} as const;

/** the page's JSON messages are small (the terms come from the agent, not the page) */
const TEXT_LIMIT = 64 * 1024;

export interface UiServerOptions {
  app: AgentApp;
  assets: Map<string, UiAsset>;
  branding: Branding;
  language: 'de' | 'en';
  log: Log;
  /** when the last page is gone this long (closed tab, browser quit), the customer has lost their End button: end */
  pageGraceMs?: number;
  onPageGone?: () => void;
  /** the one-time link was used a second time: every page is shut out; the session should end */
  onLinkReused?: () => void;
  /** Windows: an elevated window in front / the secure desktop, and "Restart as administrator" (app/elevation-watch.ts) */
  elevation?: ElevationWatch;
}

type PageHandlers = { [K in FromPage['type']]: (message: Extract<FromPage, { type: K }>) => void };

/**
 * The customer's face when a browser is there: the QuickSupport page (in agent mode) and a
 * WebSocket to it, on 127.0.0.1 at a random port, for the holder of the secret only (guard.ts).
 * The page renders the app's state; the customer's clicks come back as FromPage messages.
 */
export class UiServer {
  private readonly guard = new UiGuard();
  private readonly http: Server;
  // binary frames carry the pieces of a file the page sends (at most MAX_PAGE_READ); text stays small (below)
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAGE_READ + PAGE_READ_HEADER });
  private readonly sockets = new Set<WebSocket>();
  /** per page: the files it picked to send, read from it chunk by chunk (page-source.ts) */
  private readonly reads = new Map<WebSocket, PageReads>();
  private readonly offFiles: () => void;
  private readonly files: Map<string, UiAsset>;
  private readonly offState: () => void;
  private readonly offDesktop: () => void;
  private readonly offConsent: () => void;
  private headers: Record<string, string> = {};
  private goneTimer: ReturnType<typeof setTimeout> | undefined;

  private readonly handlers: PageHandlers = {
    'accept-terms': (m) => void this.opts.app.flow.acceptTerms(m.language, m.version, caseOf(m.case)),
    'reload-terms': () => void this.opts.app.flow.loadTerms(),
    consent: (m) => this.opts.app.flow.decide(m.what, m.decision),
    chat: (m) => void this.opts.app.flow.sendChat(m.text),
    end: () => void this.opts.app.flow.end(),
    'restart-elevated': () => void this.opts.elevation?.restart(),
    'file-accept': (m) => this.opts.app.files.handleAccept(m.transferId),
    'file-refuse': (m) => this.opts.app.files.handleRefuse(m.transferId),
    'file-cancel': (m) => this.opts.app.files.handleCancel(m.transferId),
    // handled in onSocket: the source belongs to the page that picked the file
    'file-send': () => undefined,
  };

  private constructor(private readonly opts: UiServerOptions) {
    const index = opts.assets.get('/index.html');
    if (!index) throw new InvariantError('the page has no index.html');
    this.files = new Map(opts.assets);
    this.files.set('/index.html', agentIndex(index, opts.language));
    this.files.set('/api/branding', brandingAsset(opts.branding));
    this.http = createServer((req, res) => this.handleRequest(req, res));
    this.http.on('upgrade', (req, socket, head) => this.handleUpgrade(req, socket, head));
    this.offState = opts.app.flow.on('state', (state) => this.broadcast({ type: 'state', state }));
    this.offFiles = opts.app.files.on('files', (files) => this.broadcast({ type: 'files', files }));
    this.offDesktop = opts.elevation?.on((desktop) => this.broadcast({ type: 'desktop', desktop })) ?? (() => undefined);
    this.offConsent = desktopConsent.on((state) => this.broadcast({ type: 'desktop-consent', state }));
  }

  /** Listens on 127.0.0.1 at a port the system picks. */
  static async start(opts: UiServerOptions): Promise<UiServer> {
    const ui = new UiServer(opts);
    await new Promise<void>((resolve, reject) => {
      ui.http.once('error', reject);
      ui.http.listen(0, '127.0.0.1', () => resolve());
    });
    const address = ui.http.address();
    if (!address || typeof address === 'string') throw new InvariantError('no port');
    ui.guard.bind(address.port);
    ui.headers = securityHeaders(ui.guard.origin);
    return ui;
  }

  /** The address to open in the customer's browser; it carries a one-time ticket (never the cookie's secret). */
  get url(): string {
    return this.guard.url();
  }

  /** Tells the page the agent is going, closes every connection, forgets the secret. */
  async close(): Promise<void> {
    clearTimeout(this.goneTimer);
    this.offState();
    this.offFiles();
    this.offDesktop();
    this.offConsent();
    this.broadcast({ type: 'closing' });
    await new Promise((r) => setTimeout(r, 100)); // let the last frames out
    for (const ws of this.sockets) ws.close(1001, 'agent exits');
    this.wss.close();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.guard.wipe();
  }

  private handleRequest(req: IncomingMessage, res: ServerResponse): void {
    const verdict = this.guard.check(req);
    if (!verdict.ok) {
      this.opts.log.warn({ why: verdict.why, path: (req.url ?? '').replace(/\?.*/, '') }, 'refused a local request');
      if (verdict.why === 'ticket-used') this.shutOut();
      return send(res, 403, { ...this.headers, 'content-type': 'text/plain; charset=utf-8' }, verdict.why === 'ticket-used' ? usedLink[this.opts.language] : 'Forbidden\n');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { ...this.headers, allow: 'GET, HEAD' });
    const url = new URL(req.url ?? '/', this.guard.origin);
    const path = url.pathname;
    if (verdict.via === 'ticket') {
      // first load: the one-time ticket (now spent) is exchanged for the cookie, and leaves the address bar
      return send(res, 303, { ...this.headers, 'set-cookie': this.guard.setCookie(), location: path });
    }
    if (url.searchParams.has('t')) return send(res, 303, { ...this.headers, location: path }); // the link opened again where the cookie is
    const file = this.files.get(path === '/' ? '/index.html' : path);
    if (!file) return send(res, 404, { ...this.headers, 'content-type': 'text/plain; charset=utf-8' }, 'Not found\n');
    send(res, 200, { ...this.headers, 'content-type': file.type, 'content-length': String(file.body.length) }, req.method === 'HEAD' ? '' : file.body);
  }

  /**
   * The one-time link came back without the cookie: another program may have raced the browser to it
   * (it was readable in /proc). Nobody keeps the page: the cookie is replaced, every connection closed,
   * and the owner is told (the agent ends the session, so credentials the page may have shown die).
   */
  private shutOut(): void {
    this.opts.log.warn({}, 'the one-time link of the support page was used twice: every page is shut out');
    this.guard.shutOut();
    for (const ws of this.sockets) ws.close(4001, 'link used twice');
    this.opts.onLinkReused?.();
  }

  private handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const verdict = this.guard.checkUpgrade(req);
    const path = new URL(req.url ?? '/', this.guard.origin).pathname;
    if (!verdict.ok || path !== AGENT_WS_PATH) {
      this.opts.log.warn({ why: verdict.ok ? 'wrong-path' : verdict.why }, 'refused a local WebSocket');
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws));
  }

  private onSocket(ws: WebSocket): void {
    this.sockets.add(ws);
    clearTimeout(this.goneTimer);
    const reads = new PageReads((m) => this.sendTo(ws, m));
    this.reads.set(ws, reads);
    ws.on('close', () => {
      this.sockets.delete(ws);
      this.reads.delete(ws);
      reads.close(); // a file this page was sending fails (read-failed): its bytes are gone with it
      if (this.sockets.size === 0 && this.opts.onPageGone) {
        // a reload reconnects at once; a closed tab does not
        this.goneTimer = setTimeout(() => this.opts.onPageGone?.(), this.opts.pageGraceMs ?? 60_000);
      }
    });
    ws.on('message', (data, isBinary) => {
      const frame = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      // binary: only the answer to an open read of this page; anything else ends this connection
      if (isBinary) return void (reads.handleBinary(frame) || ws.close(1003, 'unexpected binary frame'));
      if (frame.length > TEXT_LIMIT) return ws.close(1009, 'text message too large');
      const msg = decodeMessage(fromPageSchema, frame.toString());
      if (!msg.ok) {
        this.opts.log.warn({ error: msg.error }, 'bad message from the page');
        return;
      }
      if (msg.value.type === 'file-send') {
        const m = msg.value;
        void this.opts.app.files.handleSend(reads.source(m.source, m.name, m.size, m.mime)).catch((err: unknown) => this.opts.log.warn({ err }, 'sending a file failed'));
        return;
      }
      const handler = this.handlers[msg.value.type] as (m: FromPage) => void;
      handler(msg.value);
    });
    this.sendTo(ws, { type: 'state', state: this.opts.app.flow.state });
    this.sendTo(ws, { type: 'files', files: this.opts.app.files.view });
    const desktop = this.opts.elevation?.current;
    if (desktop) this.sendTo(ws, { type: 'desktop', desktop });
    const consent = desktopConsent.current;
    if (consent) this.sendTo(ws, { type: 'desktop-consent', state: consent });
  }

  private broadcast(message: ToPage): void {
    for (const ws of this.sockets) this.sendTo(ws, message);
  }

  /** Sends and then overwrites the bytes: snapshots can hold the password. */
  private sendTo(ws: WebSocket, message: ToPage): void {
    if (ws.readyState !== ws.OPEN) return;
    const bytes = Buffer.from(JSON.stringify(message));
    ws.send(bytes, { binary: false }, () => bytes.fill(0));
  }
}

/** The support case the page's `accept-terms` names (docs/cases.md): a code that does not parse joins none. */
function caseOf(c: { code: string; description: string } | undefined): { credentials: CaseCredentials; description: string } | undefined {
  const credentials = c ? parseCaseCode(c.code) : undefined;
  return credentials && c ? { credentials, description: c.description } : undefined;
}
