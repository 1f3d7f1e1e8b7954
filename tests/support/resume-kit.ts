import { expect, vi } from 'vitest';
import { WebSocket } from 'ws';
import type { SecureSession } from '@fernhilfe/client';
import { FrameDecoder, FrameKind, LogicalChannel, encodeFrame, encodeJson } from '@fernhilfe/protocol';
import { controlMessages, type CutProxy, type Side } from './cut-proxy.js';
import { holdStill } from './quiet.js';
import { untilResumeReady } from './resume-ready.js';
import type { TestServer } from './server.js';

/** Helpers for the session tests: sessions through a cut proxy, numbered streams, raw resume attempts, timing. */

export async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export type KeyLog = Map<string, Buffer>;
export const keyLogInto = (into: KeyLog) => (label: string, bytes: Uint8Array) => void into.set(label, Buffer.from(bytes));

/**
 * Customer and technician up to an authenticated session: through a cut proxy (then also until the
 * server confirmed both resume keys, so a cut from now on is resumed), or straight to a server URL.
 */
export async function establish(srv: TestServer, via: CutProxy | string, keys?: { customer: KeyLog; technician: KeyLog }) {
  const proxyUrl = typeof via === 'string' ? via : via.url;
  const customer = await srv.customer({ url: proxyUrl, ...(keys ? { keyLog: keyLogInto(keys.customer) } : {}) });
  const tech = await srv.technician({ url: proxyUrl, ...(keys ? { keyLog: keyLogInto(keys.technician) } : {}) });
  const password = customer.password!;
  const sessions: SecureSession[] = [];
  customer.on('session', (s) => sessions.push(s));
  const custSessionP = customer.once('session');
  const techSession = await within(tech.connect(customer.id, password), 5000, 'the session');
  const custSession = await within(custSessionP, 5000, "the customer's session");
  if (typeof via !== 'string') await untilResumeReady(via);
  return { customer, tech, password, techSession, custSession, sessions };
}

/** Counts what a session reports about its connection. */
export function watch(session: SecureSession) {
  const seen = { lost: [] as string[], reconnected: 0 };
  session.on('connection-lost', ({ side }) => seen.lost.push(side));
  session.on('reconnected', () => seen.reconnected++);
  return seen;
}

/**
 * `count` numbered messages from one session to the other, one every `intervalMs`: even numbers as
 * chat, odd ones as binary on LogicalChannel.data. The receiver records the numbers in arrival order.
 */
export function numberedStream(from: SecureSession, to: SecureSession, count: number, intervalMs: number) {
  const got: number[] = [];
  to.on('control', (m) => {
    if (m.type === 'chat' && m.text.startsWith('#')) got.push(Number(m.text.slice(1)));
  });
  to.on('data', ({ channel, bytes }) => {
    if (channel === LogicalChannel.data) got.push(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0));
  });
  const errors: string[] = [];
  const started = Date.now();
  const done = (async () => {
    for (let i = 0; i < count; i++) {
      const wait = started + i * intervalMs - Date.now();
      if (wait > 0) await holdStill(wait, `the pace of the stream: one message every ${intervalMs} ms`);
      let sent: Promise<void>;
      if (i % 2 === 0) sent = from.sendControl({ type: 'chat', text: `#${i}` });
      else {
        const bytes = new Uint8Array(4 + (i % 300)).fill(i & 0xff);
        new DataView(bytes.buffer).setUint32(0, i);
        sent = from.sendData(LogicalChannel.data, bytes);
      }
      sent.catch((err: unknown) => errors.push(`#${i}: ${String(err)}`));
    }
  })();
  return { got, errors, done };
}

/** Cuts one side (or both) and refuses its reconnects for `blockMs`; resolves when both sessions said `reconnected`. */
export async function cutAndWait(proxy: CutProxy, side: Side | 'both', blockMs: number, sessions: SecureSession[]) {
  const reconnected = Promise.all(sessions.map((s) => s.once('reconnected')));
  if (side === 'both') proxy.block(blockMs);
  else proxy.block(blockMs, side);
  expect(proxy.cut(side)).toBeGreaterThan(0);
  return within(reconnected, blockMs + 8000, `both ends to resume after cutting ${side}`);
}

/** A raw WebSocket to the server that records the control messages it gets. */
export async function rawConnection(url: string) {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const decoder = new FrameDecoder();
  const controls: Record<string, unknown>[] = [];
  ws.on('message', (data: Buffer) => {
    for (const f of decoder.push(new Uint8Array(data))) {
      if (f.kind === FrameKind.control) controls.push(JSON.parse(Buffer.from(f.body).toString('utf8')) as Record<string, unknown>);
    }
  });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  const next = (type: string) =>
    vi.waitFor(
      () => {
        const found = controls.find((m) => m.type === type);
        if (!found) throw new Error(`no ${type} from the server; it sent ${JSON.stringify(controls.map((m) => m.type))}`);
        return found;
      },
      { timeout: 5000, interval: 10 },
    );
  return { ws, controls, closed, next, send: (msg: object) => ws.send(encodeFrame(FrameKind.control, encodeJson(msg))) };
}

export const wsBase = (srv: TestServer) => srv.url.replace(/^http/, 'ws');

/** The resume conversation (resume, resume-proof) an endpoint's reconnect sent through the cut proxy. */
export function capturedResume(proxy: CutProxy, side: Side) {
  const conn = proxy.connections(side).find((c) => controlMessages(c.endpointFrames()).some((m) => m.type === 'resume'));
  expect(conn, `a resume by the ${side} went through the proxy`).toBeDefined();
  const sent = controlMessages(conn!.endpointFrames());
  const received = controlMessages(conn!.serverFrames());
  return {
    conn: conn!,
    resume: sent.find((m) => m.type === 'resume')!,
    proof: sent.find((m) => m.type === 'resume-proof')!,
    challenge: received.find((m) => m.type === 'resume-challenge')!,
  };
}

export async function roundTrip(a: SecureSession, b: SecureSession, text: string) {
  const got = b.once('control');
  await a.sendControl({ type: 'chat', text });
  expect(await within(got, 5000, `chat "${text}"`)).toEqual({ type: 'chat', text });
}
