/**
 * Fuzzes a real server (in this process, on 127.0.0.1:0) through raw WebSocket connections while a
 * healthy customer + technician session keeps exchanging numbered messages through it.
 *
 * Phases:
 * 1. relay: customer/technician pairs that really pair, throw random PEER frames at each other
 *    (the server must forward them unread, complete and in order), then one side sends garbage;
 * 2. chaos: CONCURRENCY raw connections at a time, reopened as the server closes them, each sends a
 *    harmless prefix (PEER frames before registering, register, connect to random IDs, ...) split at
 *    random points, then one terminator: garbage of some class (or a plain `end`).
 *
 * Asserted: the server keeps answering /healthz with 200 (throughout and at the end); no unhandled
 * rejection or uncaught exception; a harmless prefix never closes a connection (checked with a
 * WebSocket ping barrier); every connection that sent garbage is closed by the server with the
 * expected code (1008, or 1009 for too-large) and a reason or an `error` message first; everything
 * the server sends decodes and matches the role's schema; no registration is left behind; no error
 * line in the server log; the healthy session delivered every numbered message in order both ways
 * and is still open at the end.
 *
 * Reproduce with the seed a failure prints: FUZZ_SEED=<seed> npx vitest run tests/fuzz/server-fuzz.test.ts
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import type { z } from 'zod';
import type { ConsoleApi, SecureSession } from '@fernhilfe/client';
import {
  FrameDecoder,
  FrameKind,
  LogicalChannel,
  MAX_FRAME_BODY,
  ProtocolError,
  concatBytes,
  customerMessageSchema,
  decodeJson,
  encodeJson,
  technicianMessageSchema,
  toCustomerSchema,
  toTechnicianSchema,
  type Frame,
} from '@fernhilfe/protocol';
import { startTestServer, type TestServer } from '../support/server.js';
import {
  KNOWN_BUGS,
  OVERSIZE_LENGTHS,
  Rng,
  SEED,
  UNKNOWN_KINDS,
  controlFrame,
  customerMessage,
  frameHeader,
  mutateJsonBytes,
  mutateMessage,
  peerFrame,
  processGuards,
  hexString,
  randomId,
  rawFrame,
  scaled,
  seedFor,
  splitRandomly,
  technicianMessage,
  toCustomerMessage,
  toTechnicianMessage,
} from './support/kit.js';
import { holdStill } from '../support/quiet.js';
import { within } from '../support/resume-kit.js';

type Role = 'customer' | 'technician';

/** Frames and messages thrown at the server in phase 2 (phase 1 adds more; the test name says the total). */
const CHAOS_FRAMES = scaled(100_000);
const RELAY_PAIRS = 8;
const RELAY_FRAMES_PER_SIDE = 150;
const CONCURRENCY = 20;
const CLOSE_TIMEOUT_MS = 5_000;
/**
 * A safety stop, not a speed goal: the run is sized to finish well before it (about 45 s on a busy 2-core
 * machine; a fresh machine's first run needed more) and fails if it does not reach its count.
 */
const CHAOS_BUDGET_MS = 150_000;

const WS_OPEN = 1;

interface CloseInfo {
  code: number;
  reason: string;
}

/** A raw client: sends whatever it is told, decodes and checks everything the server sends. */
class RawConn {
  private readonly decoder = new FrameDecoder();
  readonly controls: Record<string, unknown>[] = [];
  readonly peers: Uint8Array[] = [];
  readonly problems: string[] = [];
  readonly clientErrors: string[] = [];
  /** the last `error` that announces a refusal (bad-message, too-large); others do not close */
  errorMessage: { code: string; message: string } | undefined;
  closeInfo: CloseInfo | undefined;
  readonly closed: Promise<CloseInfo>;
  private waiters: (() => void)[] = [];

  private constructor(
    readonly ws: WebSocket,
    readonly role: Role,
  ) {
    ws.on('message', (data, isBinary) => this.receive(data as Buffer, isBinary));
    ws.on('error', (err) => this.clientErrors.push(err.message));
    this.closed = new Promise((resolve) =>
      ws.once('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString() };
        this.notify();
        resolve(this.closeInfo);
      }),
    );
  }

  static open(url: string, role: Role): Promise<RawConn> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false });
      const conn = new RawConn(ws, role);
      ws.once('open', () => resolve(conn));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)));
      ws.once('error', (err) => reject(err));
    });
  }

  get isOpen(): boolean {
    return this.ws.readyState === WS_OPEN;
  }

  send(data: Uint8Array | string, opts?: { binary: boolean }): void {
    if (this.ws.readyState !== WS_OPEN) return;
    if (opts) this.ws.send(data, opts);
    else this.ws.send(data);
  }

  /** Resolves true once the server has handled everything sent so far (ping/pong), false if it closed. */
  barrier(timeoutMs = CLOSE_TIMEOUT_MS): Promise<boolean> {
    if (!this.isOpen) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(this.isOpen), timeoutMs);
      const done = (v: boolean) => {
        clearTimeout(timer);
        resolve(v);
      };
      this.ws.once('pong', () => done(true));
      void this.closed.then(() => done(false));
      this.ws.ping();
    });
  }

  /** Waits until pred() holds (checked on every message and on close). */
  async until(pred: () => boolean, timeoutMs: number): Promise<boolean> {
    let timedOut = false;
    const deadline = setTimeout(() => {
      timedOut = true;
      this.notify();
    }, timeoutMs);
    try {
      while (!pred() && !timedOut) await new Promise<void>((wake) => this.waiters.push(wake));
      return pred();
    } finally {
      clearTimeout(deadline);
    }
  }

  private notify(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private receive(data: Buffer, isBinary: boolean): void {
    if (!isBinary) this.problems.push('the server sent a text message');
    let frames: Frame[];
    try {
      frames = this.decoder.push(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    } catch (err) {
      this.problems.push(`the server sent bytes that do not frame: ${String(err)}`);
      return;
    }
    for (const f of frames) {
      if (f.kind === FrameKind.peer) {
        this.peers.push(f.body);
        continue;
      }
      const msg = decodeJson<Record<string, unknown>>(this.role === 'customer' ? toCustomerSchema : toTechnicianSchema, f.body);
      if (!msg.ok) {
        this.problems.push(`the server sent a ${this.role} message that fails the schema: ${msg.error.message}`);
        continue;
      }
      if (this.closeInfo) this.problems.push('a message after the close');
      this.controls.push(msg.value);
      if (msg.value.type === 'error' && ['bad-message', 'too-large', 'resume-refused'].includes(String(msg.value.code))) this.errorMessage = msg.value as { code: string; message: string };
    }
    this.notify();
  }

  /** Closes from our side if the server has not; the connection is done either way. */
  async dispose(): Promise<void> {
    if (this.ws.readyState === WS_OPEN) this.ws.close(1000, 'done');
    const t = setTimeout(() => this.ws.terminate(), 2000);
    await this.closed;
    clearTimeout(t);
  }
}

// ---------------------------------------------------------------------------------------------
// What the server must do with each kind of terminator
// ---------------------------------------------------------------------------------------------

interface Expectation {
  label: string;
  /** close codes the server may use */
  codes: number[];
  /** garbage (not a normal `end`): a reason or an `error` message is required */
  garbage: boolean;
  /** a WebSocket-level violation handled by `ws` itself: its close carries no reason */
  wsLayer?: boolean;
  /** the error codes allowed in the `error` message, if one is sent */
  errorCodes?: string[];
}

const POLICY = (label: string): Expectation => ({ label, codes: [1008], garbage: true, errorCodes: ['bad-message'] });
const TOO_BIG = (label: string): Expectation => ({ label, codes: [1009], garbage: true, errorCodes: ['too-large'] });

interface Terminator {
  /** WebSocket messages: bytes (binary), or text */
  bytes?: Uint8Array;
  extra?: { data: Uint8Array | string; binary: boolean }[];
  expect: Expectation;
}

function schemaFor(role: Role): z.ZodType<unknown> {
  return role === 'customer' ? customerMessageSchema : technicianMessageSchema;
}

/**
 * Predicts what the server does with `bytes` arriving on a connection at a frame boundary, using
 * the real decoder and schema: the first frame error or invalid control message closes it.
 */
function predict(role: Role, bytes: Uint8Array): Expectation | 'harmless' {
  const decoder = new FrameDecoder();
  let badControl: Expectation | undefined;
  // one byte at a time, to see every event in order
  for (let i = 0; i < bytes.length; i++) {
    let frames: Frame[];
    try {
      frames = decoder.push(bytes.subarray(i, i + 1));
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      const framing = err.reason === 'too-large' ? TOO_BIG('random bytes: oversize header') : POLICY('random bytes: bad header');
      if (!badControl) return framing;
      // the server gets the bytes in some split: a framing error in the same WebSocket message drops
      // the frames completed in it, so either of the two may be what it reacts to
      return { ...badControl, label: `${badControl.label} or ${framing.label}`, codes: [...new Set([...badControl.codes, ...framing.codes])], errorCodes: [...new Set([...badControl.errorCodes!, ...framing.errorCodes!])] };
    }
    for (const f of frames) {
      if (f.kind !== FrameKind.control || badControl) continue;
      if (decodeJson(schemaFor(role), f.body).ok) return 'harmless'; // valid by chance: the text terminator decides
      badControl = POLICY('random bytes: bad control message');
    }
  }
  return badControl ?? 'harmless';
}

const textTerminator = (rng: Rng): Terminator => ({
  extra: [{ data: rng.pick(['hello', '{"type":"register"}', '', 'ä😀', 'x'.repeat(rng.range(1, 5000))]), binary: false }],
  expect: POLICY('text message'),
});

function terminator(rng: Rng, role: Role, termsVersion: string, healthyId: string): Terminator {
  const asciiOnly = KNOWN_BUGS.closeReasonOver123Bytes;
  const kinds = ['text', 'random-json', 'mutated-json', 'mutated-json', 'mutated-json', 'other-direction', 'unknown-kind', 'zero-length', 'oversize', 'random-bytes', 'random-bytes', 'state', 'end', 'split-header-garbage', 'resume'];
  const kind = rng.chance(0.01) ? rng.pick(['ws-oversize', 'ws-invalid-utf8']) : rng.pick(kinds);
  switch (kind) {
    case 'text':
      return textTerminator(rng);
    case 'random-json':
      return { bytes: rawFrame(FrameKind.control, rng.bytes(rng.range(0, 200))), expect: POLICY('control frame of random bytes') };
    case 'mutated-json':
      for (let attempt = 0; attempt < 20; attempt++) {
        const valid = role === 'customer' ? customerMessage(rng, termsVersion) : technicianMessage(rng);
        const body = rng.chance(0.7) ? encodeJson(mutateMessage(rng, valid, asciiOnly)) : mutateJsonBytes(rng, encodeJson(valid));
        if (!decodeJson(schemaFor(role), body).ok) return { bytes: rawFrame(FrameKind.control, body), expect: POLICY('mutated control message') };
      }
      return textTerminator(rng);
    case 'other-direction': {
      // a valid message, but of another role or direction
      const msg = rng.pick([() => (role === 'customer' ? technicianMessage(rng) : customerMessage(rng, termsVersion)), () => toCustomerMessage(rng), () => toTechnicianMessage(rng)])();
      if (decodeJson(schemaFor(role), encodeJson(msg)).ok) return textTerminator(rng); // 'end' exists for both roles
      return { bytes: controlFrame(msg), expect: POLICY(`message of another role (${String(msg.type)})`) };
    }
    case 'unknown-kind':
      return { bytes: rawFrame(rng.pick(UNKNOWN_KINDS), rng.bytes(rng.range(0, 100))), expect: POLICY('unknown frame kind') };
    case 'zero-length':
      return { bytes: concatBytes(frameHeader(0, rng.pick([1, 2, 0, 0xff])), rng.bytes(rng.range(0, 20))), expect: POLICY('zero length field') };
    case 'oversize': {
      const length = rng.chance(0.6) ? rng.pick(OVERSIZE_LENGTHS) : MAX_FRAME_BODY + 2 + rng.int(2 ** 32 - MAX_FRAME_BODY - 2);
      return { bytes: concatBytes(frameHeader(length, rng.chance(0.8) ? rng.range(1, 2) : rng.int(256)), rng.bytes(rng.range(0, 64))), expect: TOO_BIG('oversize length field') };
    }
    case 'random-bytes': {
      // pure noise, or noise behind a plausible header (so it gets past the length check)
      const noise = rng.bytes(rng.range(1, 300));
      const bytes = rng.chance(0.5) ? noise : concatBytes(frameHeader(rng.range(1, 400), rng.pick([1, 1, 2, rng.int(256)])), noise);
      const p = predict(role, bytes);
      if (p === 'harmless') return { bytes, extra: textTerminator(rng).extra!, expect: POLICY('random bytes, then a text message') };
      return { bytes, expect: p };
    }
    case 'state':
      // valid messages that are not allowed now
      return role === 'customer'
        ? { bytes: controlFrame({ type: 'auth-result', ok: rng.chance(0.5) }), expect: POLICY('auth-result without a handshake') }
        : textTerminator(rng);
    case 'end':
      return { bytes: controlFrame(role === 'customer' ? { type: 'end' } : rng.pick([{ type: 'end' }, { type: 'end', reason: 'ended-by-technician' }])), expect: { label: 'end', codes: [1000], garbage: false } };
    case 'resume': {
      // a resume of some session (the healthy one, too) with a made-up proof, or a resume key outside a session:
      // refused (resume-refused, or bad-message when not the first message / no session), the healthy session untouched
      const id = rng.chance(0.3) ? healthyId : randomId(rng);
      const bytes = rng.chance(0.2)
        ? controlFrame({ type: 'resume-key', publicKey: hexString(rng, 64) })
        : concatBytes(controlFrame({ type: 'resume', id, role }), controlFrame({ type: 'resume-proof', signature: hexString(rng, 128) }));
      return { bytes, expect: { label: 'resume with a forged proof', codes: [1008], garbage: true, errorCodes: ['resume-refused', 'bad-message'] } };
    }
    case 'split-header-garbage': {
      // a valid frame, then a header whose kind byte is wrong, cut into single bytes
      const bytes = concatBytes(peerFrame(rng.bytes(rng.range(0, 50))), frameHeader(rng.range(1, 50), rng.pick(UNKNOWN_KINDS)));
      return { bytes, extra: Array.from(bytes.subarray(bytes.length - 5), (b) => ({ data: Uint8Array.of(b), binary: true })), expect: POLICY('unknown kind, one byte per message') };
    }
    case 'ws-oversize':
      // one WebSocket message over ws's maxPayload (2 MiB): refused by the ws layer
      return { extra: [{ data: new Uint8Array(2 * 1024 * 1024 + 1), binary: true }], expect: { label: 'WebSocket message over 2 MiB', codes: [1009], garbage: true, wsLayer: true } };
    default:
      // invalid UTF-8 in a text message: refused by the ws layer
      return { extra: [{ data: Uint8Array.of(0x7b, 0xff, 0xfe, 0x7d), binary: false }], expect: { label: 'text message with invalid UTF-8', codes: [1007], garbage: true, wsLayer: true } };
  }
}

/** Harmless frames: the server must keep the connection open after each of them. */
function prefix(rng: Rng, role: Role, termsVersion: string, healthyId: string): Uint8Array[] {
  const frames: Uint8Array[] = [];
  const count = rng.chance(0.1) ? 0 : rng.range(1, 150);
  if (role === 'customer' && rng.chance(0.5)) frames.push(controlFrame({ type: 'register', termsVersion, language: rng.pick(['de', 'en']), capabilities: ['screen'] }));
  for (let i = 0; i < count; i++) {
    const r = rng.int(100);
    if (r < 55) frames.push(peerFrame(rng.bytes(rng.chance(0.02) ? rng.range(10_000, 200_000) : rng.size(300))));
    else if (role === 'customer') {
      if (r < 70) frames.push(controlFrame({ type: 'password-rotated' }));
      else if (r < 80) frames.push(controlFrame({ type: 'register', termsVersion: rng.chance(0.5) ? termsVersion : 'ab'.repeat(32), language: 'en', capabilities: [] })); // again: already-registered / terms-outdated
      else frames.push(peerFrame(Uint8Array.of(0x10, rng.range(1, 4), ...rng.bytes(rng.range(0, 64))))); // handshake-looking, unpaired
    } else {
      if (r < 75) frames.push(controlFrame({ type: 'connect', id: rng.chance(0.05) ? healthyId : randomId(rng) }));
      else frames.push(controlFrame({ type: 'abort' }));
    }
  }
  return frames;
}

// ---------------------------------------------------------------------------------------------
// The healthy session
// ---------------------------------------------------------------------------------------------

class NumberedStream {
  sent = 0;
  received = 0;
  readonly problems: string[] = [];
  take(n: number, what: string): void {
    if (n !== this.received) this.problems.push(`${what}: got #${n}, expected #${this.received}`);
    this.received = n + 1;
  }
}

function healthyTraffic(tech: SecureSession, cust: SecureSession) {
  const streams = { t2cChat: new NumberedStream(), t2cData: new NumberedStream(), c2tChat: new NumberedStream(), c2tData: new NumberedStream() };
  const onControl = (s: NumberedStream, what: string) => (m: { type: string; text?: string }) => {
    if (m.type === 'chat') s.take(Number(m.text?.replace(/^#/, '')), what);
  };
  const onData = (s: NumberedStream, what: string) => (d: { channel: number; bytes: Uint8Array }) => {
    if (d.channel !== LogicalChannel.data) s.problems.push(`${what}: channel ${d.channel}`);
    else s.take(new DataView(d.bytes.buffer, d.bytes.byteOffset, d.bytes.byteLength).getUint32(0), what);
  };
  cust.on('control', onControl(streams.t2cChat, 'technician->customer chat'));
  cust.on('data', onData(streams.t2cData, 'technician->customer data'));
  tech.on('control', onControl(streams.c2tChat, 'customer->technician chat'));
  tech.on('data', onData(streams.c2tData, 'customer->technician data'));
  const u32 = (n: number) => {
    const b = new Uint8Array(4 + (n % 97));
    new DataView(b.buffer).setUint32(0, n);
    return b;
  };
  let running = true;
  const sendErrors: string[] = [];
  const pump = (async () => {
    while (running) {
      const jobs = [
        tech.sendControl({ type: 'chat', text: `#${streams.t2cChat.sent++}` }),
        tech.sendData(LogicalChannel.data, u32(streams.t2cData.sent++)),
        cust.sendControl({ type: 'chat', text: `#${streams.c2tChat.sent++}` }),
        cust.sendData(LogicalChannel.data, u32(streams.c2tData.sent++)),
      ];
      await Promise.all(jobs).catch((err: unknown) => void sendErrors.push(String(err)));
      await holdStill(4, 'the healthy session sends at a steady pace while the chaos runs');
    }
  })();
  return {
    streams,
    sendErrors,
    async stop() {
      running = false;
      await pump;
    },
    get delivered() {
      return Object.values(streams).every((s) => s.received === s.sent);
    },
    get messages() {
      return Object.values(streams).reduce((a, s) => a + s.sent, 0);
    },
  };
}

// ---------------------------------------------------------------------------------------------

describe('known bug: WebSocket close reasons over 123 bytes', () => {
  // see KNOWN_BUGS.closeReasonOver123Bytes; it.fails until packages/server/src/relay/endpoint.ts is fixed
  (KNOWN_BUGS.closeReasonOver123Bytes ? it.fails : it)('a control message with a long non-ASCII key is refused with a 1008 close, not an uncaught RangeError', async () => {
    const guards = processGuards();
    try {
      await using srv = await startTestServer();
      const conn = await RawConn.open(`${srv.url.replace(/^http/, 'ws')}/ws/customer`, 'customer');
      conn.send(controlFrame({ type: 'end', ['ä'.repeat(60)]: 1 }));
      const closed = await within(conn.closed, 1500, 'the server to close the connection').catch(() => undefined);
      if (!closed) conn.ws.terminate();
      expect(guards.describe()).toEqual([]);
      expect(closed?.code).toBe(1008);
      expect(Buffer.byteLength(closed!.reason)).toBeLessThanOrEqual(123);
    } finally {
      guards.dispose();
    }
  });
});

describe(`the server under fuzzing (FUZZ_SEED=${SEED})`, () => {
  let srv: TestServer;
  let api: ConsoleApi;
  let termsVersion: string;
  let guards: ReturnType<typeof processGuards>;
  const failures: string[] = [];
  const health = { checks: 0, failures: [] as string[] };
  let healthTimer: NodeJS.Timeout | undefined;

  const fail = (msg: string) => {
    if (failures.length < 50) failures.push(msg);
  };

  beforeAll(async () => {
    guards = processGuards();
    srv = await startTestServer();
    api = await srv.api();
    termsVersion = ((await (await fetch(`${srv.url}/api/terms`)).json()) as { version: string }).version;
    healthTimer = setInterval(() => {
      health.checks++;
      // the deadline is what a loaded 2-core machine holds while the chaos shares it (3 s failed there); a wedged server never answers
      fetch(`${srv.url}/healthz`, { signal: AbortSignal.timeout(10_000) }).then(
        (r) => void (r.status !== 200 && health.failures.push(`healthz answered ${r.status}`)),
        (err: unknown) => void health.failures.push(`healthz failed: ${String(err)}`),
      );
    }, 200);
  });

  afterAll(async () => {
    clearInterval(healthTimer);
    guards?.dispose();
    await srv?.close();
  });

  /** Sends a terminator; waits for the server's close and checks it against the expectation. */
  async function finishWithGarbage(conn: RawConn, term: Terminator, rng: Rng, tag: string, alreadySent = false): Promise<number> {
    let frames = 0;
    if (term.bytes && !alreadySent) {
      for (const piece of splitRandomly(rng, term.bytes)) conn.send(piece);
      frames++;
    }
    for (const e of term.extra ?? []) {
      conn.send(e.data, { binary: e.binary });
      frames++;
    }
    const closed = await within(conn.closed, CLOSE_TIMEOUT_MS, 'the server to close the connection').catch(() => undefined);
    const x = term.expect;
    if (!closed) {
      fail(`${tag}: the server did not close the connection within ${CLOSE_TIMEOUT_MS} ms after ${x.label}`);
      conn.ws.terminate();
      return frames;
    }
    if (!x.codes.includes(closed.code)) fail(`${tag}: ${x.label}: close code ${closed.code} (${JSON.stringify(closed.reason)}), expected ${x.codes.join('/')}`);
    if (x.garbage && !x.wsLayer && !closed.reason && !conn.errorMessage) fail(`${tag}: ${x.label}: closed without a reason and without an error message`);
    if (!x.garbage && !closed.reason) fail(`${tag}: ${x.label}: a normal close without a reason`);
    if (conn.errorMessage && x.errorCodes && !x.errorCodes.includes(conn.errorMessage.code)) fail(`${tag}: ${x.label}: error code ${conn.errorMessage.code}, expected ${x.errorCodes.join('/')}`);
    if (conn.errorMessage && closed.code !== (conn.errorMessage.code === 'too-large' ? 1009 : 1008)) fail(`${tag}: error ${conn.errorMessage.code} with close code ${closed.code}`);
    if (x.garbage && !x.wsLayer && !conn.errorMessage) fail(`${tag}: ${x.label}: no error message before the close`);
    for (const p of conn.problems) fail(`${tag}: ${p}`);
    return frames;
  }

  const tally = { relayFrames: 0, chaosFrames: 0, chaosMessages: 0, connections: 0, byLabel: new Map<string, number>(), chaosMs: 0 };

  it(`keeps a healthy session, forwards PEER frames exactly, and closes every garbage connection with a reason: ${RELAY_PAIRS} pairs + ${CHAOS_FRAMES}+ chaos frames on ${CONCURRENCY} concurrent connections`, async () => {
    // --- the healthy session, first (before any failed attempt counts against this address)
    const customer = await srv.customer();
    const tech = await srv.technician({ api });
    const custSessionP = customer.once('session');
    const techSession = await tech.connect(customer.id, customer.password!);
    const custSession = await custSessionP;
    const traffic = healthyTraffic(techSession, custSession);
    const healthyId = customer.id;

    // --- phase 1: real pairs; random PEER frames relayed both ways; then garbage from one side
    for (let p = 0; p < RELAY_PAIRS; p++) {
      const rng = new Rng(seedFor('relay', p));
      const tag = `relay pair ${p} (FUZZ_SEED=${SEED})`;
      const c = await RawConn.open(`${srv.url.replace(/^http/, 'ws')}/ws/customer`, 'customer');
      c.send(controlFrame({ type: 'register', termsVersion, language: 'de', capabilities: ['screen'] }));
      expect(await c.until(() => c.controls.some((m) => m.type === 'registered'), 5000), tag).toBe(true);
      const id = String(c.controls.find((m) => m.type === 'registered')!.id);
      const t = await RawConn.open(await api.technicianUrl(), 'technician');
      t.send(controlFrame({ type: 'connect', id }));
      expect(await t.until(() => t.controls.some((m) => m.type === 'pairing'), 5000), `${tag}: technician pairing ${JSON.stringify(t.controls)}`).toBe(true);
      expect(await c.until(() => c.controls.some((m) => m.type === 'pairing'), 5000), `${tag}: customer pairing`).toBe(true);

      const sent: Record<Role, Uint8Array[]> = { customer: [], technician: [] };
      for (const [from, conn] of [['customer', c], ['technician', t]] as const) {
        for (let i = 0; i < RELAY_FRAMES_PER_SIDE; i++) {
          const body = rng.chance(0.03) ? rng.bytes(rng.range(10_000, 300_000)) : rng.bytes(rng.size(2000));
          sent[from].push(body);
        }
        for (const piece of splitRandomly(rng, concatBytes(...sent[from].map(peerFrame)), 400)) conn.send(piece);
        tally.relayFrames += RELAY_FRAMES_PER_SIDE;
      }
      expect(await c.until(() => c.peers.length >= RELAY_FRAMES_PER_SIDE, 10_000), `${tag}: customer got ${c.peers.length} peer frames`).toBe(true);
      expect(await t.until(() => t.peers.length >= RELAY_FRAMES_PER_SIDE, 10_000), `${tag}: technician got ${t.peers.length} peer frames`).toBe(true);
      const same = (a: Uint8Array[], b: Uint8Array[]) => a.length === b.length && a.every((x, i) => Buffer.compare(x, b[i]!) === 0);
      expect(same(c.peers, sent.technician), `${tag}: technician->customer frames differ`).toBe(true);
      expect(same(t.peers, sent.customer), `${tag}: customer->technician frames differ`).toBe(true);

      // one side sends garbage; the other learns that the attempt is over
      const [bad, other] = rng.chance(0.5) ? [c, t] : [t, c];
      let term = terminator(rng, bad.role, termsVersion, healthyId);
      // (auth-result is allowed while pairing, so it is no garbage here)
      while (!term.expect.garbage || term.expect.wsLayer || term.expect.label.startsWith('auth-result')) term = terminator(rng, bad.role, termsVersion, healthyId);
      const badFrames = await finishWithGarbage(bad, term, rng, `${tag}: ${bad.role}`);
      tally.relayFrames += badFrames;
      const told = other.role === 'technician' ? (m: Record<string, unknown>) => m.type === 'connect-failed' && m.code === 'customer-left' : (m: Record<string, unknown>) => m.type === 'pairing-aborted' && m.reason === 'technician-left';
      expect(await other.until(() => other.controls.some(told), 5000), `${tag}: ${other.role} was not told: ${JSON.stringify(other.controls)}`).toBe(true);
      const otherFrames = await finishWithGarbage(other, textTerminator(rng), rng, `${tag}: ${other.role}`);
      tally.relayFrames += otherFrames;
      expect(failures, tag).toEqual([]);
    }

    // --- phase 2: chaos on CONCURRENCY connections at once
    const started = Date.now();
    let next = 0;
    const worker = async () => {
      while (tally.chaosFrames < CHAOS_FRAMES && Date.now() - started < CHAOS_BUDGET_MS) {
        const k = next++;
        const rng = new Rng(seedFor('chaos', k));
        const role: Role = rng.chance(0.5) ? 'customer' : 'technician';
        const tag = `chaos connection ${k} (${role}, FUZZ_SEED=${SEED})`;
        let conn: RawConn;
        try {
          conn = await RawConn.open(role === 'customer' ? `${srv.url.replace(/^http/, 'ws')}/ws/customer` : await api.technicianUrl(), role);
        } catch (err) {
          fail(`${tag}: cannot connect: ${String(err)}`);
          await holdStill(50, 'a pause before the next connection after one that failed');
          continue;
        }
        tally.connections++;
        const frames = prefix(rng, role, termsVersion, healthyId);
        const term = terminator(rng, role, termsVersion, healthyId);
        tally.byLabel.set(term.expect.label, (tally.byLabel.get(term.expect.label) ?? 0) + 1);
        const useBarrier = rng.chance(0.6) || !term.bytes;
        if (useBarrier) {
          for (const piece of splitRandomly(rng, concatBytes(...frames), 200)) {
            conn.send(piece);
            tally.chaosMessages++;
          }
          tally.chaosFrames += frames.length;
          const open = await conn.barrier();
          const pairedByChance = conn.controls.some((m) => m.type === 'pairing');
          if (!open && !pairedByChance) {
            fail(`${tag}: closed after a harmless prefix of ${frames.length} frames: ${JSON.stringify(conn.closeInfo)} ${JSON.stringify(conn.errorMessage)}`);
            continue;
          }
          if (!open) continue;
          const sent = await finishWithGarbage(conn, term, rng, tag); // (not `+= await`: other workers add meanwhile)
          tally.chaosFrames += sent;
        } else {
          // the garbage in the same WebSocket messages as the valid frames before it
          for (const piece of splitRandomly(rng, concatBytes(...frames, term.bytes!), 200)) {
            conn.send(piece);
            tally.chaosMessages++;
          }
          tally.chaosFrames += frames.length;
          const sent = await finishWithGarbage(conn, term, rng, tag, true);
          tally.chaosFrames += 1 + sent;
        }
        await conn.dispose();
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    tally.chaosMs = Date.now() - started;

    // --- the healthy session delivered everything, in order, and is still open
    await traffic.stop();
    await vi.waitFor(() => expect(traffic.delivered, 'the healthy session delivered everything').toBe(true), { timeout: 10_000, interval: 20 }).catch(() => undefined); // the counts below say what is missing
    for (const [name, s] of Object.entries(traffic.streams)) {
      expect(s.problems, name).toEqual([]);
      expect(s.received, `${name}: delivered ${s.received} of ${s.sent}`).toBe(s.sent);
    }
    expect(traffic.sendErrors).toEqual([]);
    expect(traffic.messages).toBeGreaterThan(400);
    expect(techSession.isOpen && custSession.isOpen, 'the healthy session is still open').toBe(true);

    // --- nothing left behind, the server is fine
    await expect.poll(() => srv.broker.liveRegistrations, { message: 'only the healthy session is registered', timeout: 5000, interval: 50 }).toBe(1);
    const h = await fetch(`${srv.url}/healthz`);
    expect(h.status).toBe(200);
    expect(failures).toEqual([]);
    expect(health.failures).toEqual([]);
    expect(health.checks).toBeGreaterThan(5);
    expect(guards.describe()).toEqual([]);
    const errorLines = srv.logText().split('\n').filter((l) => /"level":(50|60)/.test(l));
    expect(errorLines.slice(0, 5)).toEqual([]);
    expect(tally.chaosFrames, `only ${tally.chaosFrames} frames in ${tally.chaosMs} ms`).toBeGreaterThanOrEqual(CHAOS_FRAMES);

    // the healthy session still ends normally
    const ended = techSession.once('ended');
    await customer.end();
    expect(await ended).toMatchObject({ reason: 'ended-by-customer' });

    console.info(
      `server fuzz (FUZZ_SEED=${SEED}): relay ${tally.relayFrames} frames in ${RELAY_PAIRS} pairs; chaos ${tally.chaosFrames} frames in ${tally.chaosMessages} WebSocket messages on ${tally.connections} connections in ${tally.chaosMs} ms; ` +
        `healthy session ${traffic.messages} numbered messages; healthz ${health.checks} checks\n  terminators: ${[...tally.byLabel].sort((a, b) => b[1] - a[1]).map(([l, c]) => `${l}=${c}`).join(', ')}`,
    );
  }, CHAOS_BUDGET_MS + 90_000);
});
