import { FrameKind, encodeFrame, encodeJson } from '@fernhilfe/protocol';
import { WebSocket } from 'ws';

export interface FloodOptions {
  /** ws://host:port/ws/customer */
  customerUrl: string;
  termsVersion: string;
  /** unauthenticated connections to hold open (reopened when the server closes them) */
  held: number;
  /** source addresses the held connections are spread over (127.0.1.x) */
  heldAddresses: number;
  /** addresses that run register -> end loops, one loop each (127.0.2.x) */
  loopAddresses: number;
  /** attempts per second each loop makes at most (the attacker's rate, not the bench's CPU, sets the load) */
  loopRatePerAddress: number;
}

/** What the flood did and what the server answered. */
export interface FloodCounts {
  /** connections open at the same moment, at most */
  heldPeak: number;
  opened: number;
  /** upgrades the server refused, by HTTP status */
  refused: Record<string, number>;
  /** connections the server closed, by close code */
  closedByServer: Record<string, number>;
  /** held connections that sent a 5-byte header claiming a 1 MiB frame, then nothing */
  bigClaims: number;
  loops: { attempts: number; registered: number; rateLimited: number; forbidden: number; otherErrors: number };
}

const bump = (map: Record<string, number>, key: string | number) => void (map[String(key)] = (map[String(key)] ?? 0) + 1);
const BIG_CLAIM = (() => {
  const h = Buffer.alloc(5);
  h.writeUInt32BE(1024 * 1024 + 1, 0);
  h[4] = FrameKind.peer;
  return h;
})();

/**
 * An unauthenticated attacker on /ws/customer, from many loopback source addresses (all of
 * 127.0.0.0/8 is on `lo`, so the server sees each as a different client): holds many idle
 * connections (a third of them with a frame header that claims 1 MiB), and runs register -> end
 * loops at a set rate per address, every tenth from a foreign web page's Origin.
 */
export class Flood {
  readonly counts: FloodCounts = { heldPeak: 0, opened: 0, refused: {}, closedByServer: {}, bigClaims: 0, loops: { attempts: 0, registered: 0, rateLimited: 0, forbidden: 0, otherErrors: 0 } };
  private readonly open = new Set<WebSocket>();
  private running = true;
  private readonly loops: Promise<void>[] = [];
  private heldCount = 0;

  constructor(private readonly opts: FloodOptions) {}

  /** Opens the held connections (resolves once `held` are open or refused) and starts the loops. */
  async start(): Promise<void> {
    const perAddress = Math.ceil(this.opts.held / this.opts.heldAddresses);
    const batch: Promise<void>[] = [];
    for (let i = 0; i < this.opts.held; i++) {
      batch.push(this.hold(`127.0.1.${1 + Math.floor(i / perAddress)}`, i % 3 === 0));
      if (batch.length >= 200) await Promise.all(batch.splice(0));
    }
    await Promise.all(batch);
    for (let a = 0; a < this.opts.loopAddresses; a++) this.loops.push(this.loop(`127.0.2.${1 + a}`));
  }

  /** Stops the loops and closes everything. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
    for (const ws of this.open) ws.terminate();
    this.open.clear();
  }

  get heldNow(): number {
    return this.heldCount;
  }

  private async hold(localAddress: string, bigClaim: boolean): Promise<void> {
    const ws = await this.connect(localAddress);
    if (!ws) return;
    this.heldCount++;
    this.counts.heldPeak = Math.max(this.counts.heldPeak, this.heldCount);
    if (bigClaim) {
      ws.send(BIG_CLAIM);
      this.counts.bigClaims++;
    }
    ws.once('close', () => {
      this.heldCount--;
      // the server closed it (the timeout before `register`): the attacker opens another
      if (this.running) void this.hold(localAddress, bigClaim);
    });
  }

  private async loop(localAddress: string): Promise<void> {
    const gapMs = 1000 / this.opts.loopRatePerAddress;
    for (let n = 0; this.running; n++) {
      const due = performance.now() + gapMs;
      this.counts.loops.attempts++;
      await this.attempt(localAddress, n % 10 === 9);
      const wait = due - performance.now();
      if (wait > 0 && this.running) await new Promise((r) => setTimeout(r, wait));
    }
  }

  /** One register -> end cycle (or an upgrade from a foreign page, refused). */
  private async attempt(localAddress: string, foreign: boolean): Promise<void> {
    const ws = await this.connect(localAddress, foreign ? 'https://attacker.example' : undefined);
    if (!ws) {
      if (foreign) this.counts.loops.forbidden++;
      return;
    }
    const answer = await new Promise<string>((resolve) => {
      ws.once('message', (data: Buffer) => resolve(data.subarray(5).toString('utf8')));
      ws.once('close', () => resolve('closed'));
      ws.send(encodeFrame(FrameKind.control, encodeJson({ type: 'register', termsVersion: this.opts.termsVersion, language: 'en', capabilities: [] })));
    });
    if (answer.includes('"registered"')) this.counts.loops.registered++;
    else if (answer.includes('"rate-limited"')) this.counts.loops.rateLimited++;
    else this.counts.loops.otherErrors++;
    if (ws.readyState === WebSocket.OPEN) ws.send(encodeFrame(FrameKind.control, encodeJson({ type: 'end' })));
    await new Promise<void>((resolve) => (ws.readyState === WebSocket.CLOSED ? resolve() : ws.once('close', () => resolve())));
  }

  /** One connection from `localAddress`; undefined when the server refused the upgrade. */
  private connect(localAddress: string, origin?: string): Promise<WebSocket | undefined> {
    return new Promise((resolve) => {
      const ws = new WebSocket(this.opts.customerUrl, { localAddress, ...(origin ? { origin } : {}) });
      let settled = false;
      ws.once('open', () => {
        settled = true;
        if (!this.running) return (ws.terminate(), resolve(undefined)); // opened after stop(): not part of the flood
        this.counts.opened++;
        this.open.add(ws);
        ws.once('close', (code) => {
          this.open.delete(ws);
          if (this.running) bump(this.counts.closedByServer, code);
        });
        resolve(ws);
      });
      ws.once('unexpected-response', (_req, res) => {
        settled = true;
        if (this.running) bump(this.counts.refused, res.statusCode ?? 0);
        res.resume();
        ws.terminate();
        resolve(undefined);
      });
      ws.on('error', (err) => {
        if (settled) return;
        settled = true;
        if (this.running) bump(this.counts.refused, (err as NodeJS.ErrnoException).code ?? 'error');
        resolve(undefined);
      });
    });
  }
}
