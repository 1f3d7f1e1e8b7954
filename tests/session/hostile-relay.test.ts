import { describe, expect, it } from 'vitest';
import { ristretto255 } from '@noble/curves/ed25519.js';
import { ConnectError, chunkedTransport, type CustomerEndpoint, type SecureSession, type SessionEnd, type TechnicianEndpoint } from '@fernhilfe/client';
import { HandshakeStep, LogicalChannel, SEALED_HEADER, type EndReason, type Frame } from '@fernhilfe/protocol';
import {
  encodedForms,
  findNeedles,
  flipBit,
  forgeSealed,
  isHandshake,
  isSealed,
  sealedSeq,
  startHostileProxy,
  textForms,
  truncate,
  type Direction,
  type HostileProxy,
  type Needle,
} from '../support/hostile-proxy.js';
import { expectNothingFor, holdStill } from '../support/quiet.js';
import { within } from '../support/resume-kit.js';
import { TECH_PASSWORD, nodeTransport, startTestServer, type TestServer } from '../support/server.js';

type KeyLogEntry = { label: string; bytes: Buffer };
function keyLogInto(into: KeyLogEntry[]) {
  // copy: the client wipes the ISK and the session secrets right after logging them
  return (label: string, bytes: Uint8Array) => void into.push({ label, bytes: Buffer.from(bytes) });
}

/** Customer and technician, both through the proxy, up to an authenticated session. */
async function establish(srv: TestServer, proxy: HostileProxy, opts: { customerChunk?: number; customerKeys?: KeyLogEntry[]; techKeys?: KeyLogEntry[] } = {}) {
  const customer = await srv.customer({
    url: proxy.url,
    ...(opts.customerChunk ? { transport: chunkedTransport(nodeTransport, opts.customerChunk) } : {}),
    ...(opts.customerKeys ? { keyLog: keyLogInto(opts.customerKeys) } : {}),
  });
  const tech = await srv.technician({ url: proxy.url, ...(opts.techKeys ? { keyLog: keyLogInto(opts.techKeys) } : {}) });
  const password = customer.password!;
  const custSessionP = customer.once('session');
  const techSession = await within(tech.connect(customer.id, password), 5000, 'the session');
  const custSession = await within(custSessionP, 5000, "the customer's session");
  return { customer, tech, password, techSession, custSession };
}

/** What the application on one end received, in order. */
function recordDeliveries(session: SecureSession): string[] {
  const got: string[] = [];
  session.on('control', (m) => got.push(m.type === 'chat' ? `chat:${m.text}` : `control:${m.type}`));
  session.on('data', (d) => got.push(`data:${d.channel}:${Buffer.from(d.bytes).toString('hex')}`));
  return got;
}

const MESSAGES = 6;
/** Message i: chat for even i, binary on LogicalChannel.data for odd i. */
function message(i: number): { send: (s: SecureSession) => Promise<void>; expect: string } {
  if (i % 2 === 0) {
    const text = `message ${i}: Bitte klicken Sie auf Start.`;
    return { send: (s) => s.sendControl({ type: 'chat', text }), expect: `chat:${text}` };
  }
  const bytes = new Uint8Array(48).fill(0x40 + i);
  return { send: (s) => s.sendData(LogicalChannel.data, bytes), expect: `data:${LogicalChannel.data}:${Buffer.from(bytes).toString('hex')}` };
}

// ---- the attacks on sealed frames ----

interface Attack {
  name: string;
  reason: EndReason;
  /** how many of the messages (0, 1, ...) the receiver gets before the attack is noticed */
  delivered: number;
  /** a fresh hook for one run; `fired` is called when the hook acted */
  hook(fired: () => void): (frame: Frame, seq: bigint) => readonly Frame[] | undefined;
}

const attacks: Attack[] = [
  {
    name: 'flip one bit in the ciphertext',
    reason: 'tampered',
    delivered: 2,
    hook: (fired) => (f, seq) => (seq === 2n ? (fired(), [flipBit(f, SEALED_HEADER + 4, 2)]) : undefined),
  },
  {
    name: 'flip one bit in the authentication tag',
    reason: 'tampered',
    delivered: 2,
    hook: (fired) => (f, seq) => (seq === 2n ? (fired(), [flipBit(f, f.body.length - 1, 7)]) : undefined),
  },
  {
    // seq 2 -> 3: a receiver that checked the number before authenticating would say out-of-order
    name: 'flip a bit in the seq header (2 becomes 3)',
    reason: 'tampered',
    delivered: 2,
    hook: (fired) => (f, seq) => (seq === 2n ? (fired(), [flipBit(f, 8, 0)]) : undefined),
  },
  {
    // seq 3 -> 2: a receiver that checked the number before authenticating would say replayed
    name: 'flip a bit in the seq header (3 becomes 2)',
    reason: 'tampered',
    delivered: 3,
    hook: (fired) => (f, seq) => (seq === 3n ? (fired(), [flipBit(f, 8, 0)]) : undefined),
  },
  {
    name: 'flip the top bit of the seq header',
    reason: 'tampered',
    delivered: 2,
    hook: (fired) => (f, seq) => (seq === 2n ? (fired(), [flipBit(f, 1, 7)]) : undefined),
  },
  {
    name: 'replay an earlier sealed frame later (frame 1 again after frame 3)',
    reason: 'replayed',
    delivered: 4,
    hook: (fired) => {
      let kept: Frame | undefined;
      return (f, seq) => {
        if (seq === 1n) kept = f;
        if (seq === 3n && kept) return fired(), [f, kept];
        return undefined;
      };
    },
  },
  {
    name: 'duplicate a sealed frame at once',
    reason: 'replayed',
    delivered: 3,
    hook: (fired) => (f, seq) => (seq === 2n ? (fired(), [f, f]) : undefined),
  },
  {
    name: 'drop one sealed frame',
    reason: 'out-of-order',
    delivered: 2,
    hook: (fired) => (_f, seq) => (seq === 2n ? (fired(), []) : undefined),
  },
  {
    name: 'swap two consecutive sealed frames',
    reason: 'out-of-order',
    delivered: 2,
    hook: (fired) => {
      let held: Frame | undefined;
      return (f, seq) => {
        if (seq === 2n) return (held = f), [];
        if (seq === 3n && held) return fired(), [f, held];
        return undefined;
      };
    },
  },
  {
    name: 'truncate a sealed frame by its last 5 bytes',
    reason: 'tampered',
    delivered: 2,
    hook: (fired) => (f, seq) => (seq === 2n ? (fired(), [truncate(f, f.body.length - 5)]) : undefined),
  },
  {
    // header + 15 bytes: shorter than header + GCM tag, rejected before any decryption
    name: 'truncate a sealed frame below the minimum length (header + tag)',
    reason: 'malformed',
    delivered: 2,
    hook: (fired) => (f, seq) => (seq === 2n ? (fired(), [truncate(f, SEALED_HEADER + 15)]) : undefined),
  },
  {
    name: 'truncate a sealed frame inside its header',
    reason: 'malformed',
    delivered: 2,
    hook: (fired) => (f, seq) => (seq === 2n ? (fired(), [truncate(f, 5)]) : undefined),
  },
  {
    name: 'inject a forged sealed frame (random bytes, right header, next seq)',
    reason: 'tampered',
    delivered: 2,
    hook: (fired) => (f, seq) => (seq === 2n ? (fired(), [forgeSealed(2n, f.body.length - SEALED_HEADER), f]) : undefined),
  },
];

const ways = [
  { label: 'technician -> customer, attacked on its way to the server', sender: 'technician', attackOn: 'technician->server' },
  { label: 'customer -> technician, attacked on its way from the server', sender: 'customer', attackOn: 'server->technician' },
] as const satisfies readonly { label: string; sender: 'technician' | 'customer'; attackOn: Direction }[];

describe('a hostile relay between the endpoints and the server', () => {
  for (const way of ways) {
    describe(way.label, () => {
      for (const attack of attacks) {
        it(`${attack.name} -> ${attack.reason} on both ends, nothing tampered delivered`, async () => {
          await using srv = await startTestServer();
          await using proxy = await startHostileProxy(srv.url);
          const { customer, techSession, custSession } = await establish(srv, proxy);
          const sender = way.sender === 'technician' ? techSession : custSession;
          const receiver = way.sender === 'technician' ? custSession : techSession;
          const receiverRole = way.sender === 'technician' ? 'customer' : 'technician';
          const received = recordDeliveries(receiver);
          const receiverEnded = receiver.once('ended');
          const senderEnded = sender.once('ended');

          let fired = 0;
          let sealedSeen = 0;
          const act = attack.hook(() => fired++);
          proxy.hook(way.attackOn, (frame) => {
            if (!isSealed(frame)) return undefined;
            sealedSeen++;
            return act(frame, sealedSeq(frame));
          });

          const sent = Array.from({ length: MESSAGES }, (_, i) => message(i));
          for (const m of sent) await m.send(sender).catch(() => undefined); // later sends fail once the session is over

          const [rEnd, sEnd] = await within(Promise.all([receiverEnded, senderEnded]), 5000, 'both ends to see the session end');
          expect(fired).toBe(1);
          expect(sealedSeen).toBeGreaterThanOrEqual(attack.delivered + 1);
          // the side that noticed names the reason; the other side hears it from the server
          expect(rEnd).toMatchObject({ reason: attack.reason, by: 'local' } satisfies Partial<SessionEnd>);
          expect(sEnd).toEqual({ reason: attack.reason, by: receiverRole } satisfies SessionEnd);
          expect(receiver.isOpen).toBe(false);
          expect(sender.isOpen).toBe(false);
          await within(customer.ended ? Promise.resolve(customer.ended) : customer.once('ended'), 2000, "the customer endpoint's end");
          expect(customer.ended?.reason).toBe(attack.reason);

          // exactly the untouched frames before the attack reached the application, in order, nothing else
          await expectNothingFor(20, 'exactly the untouched frames before the attack reached the application', () => expect(received).toEqual(sent.slice(0, attack.delivered).map((m) => m.expect)));
          expect(proxy.errors).toEqual([]);
        });
      }
    });
  }
});

// ---- the handshake ----

/** Offsets in a HANDSHAKE step 1/2 body: u8 type | u8 step | lv(Y: 32 bytes) | lv(AD). */
const Y_AT = 3;
const AD_AT = Y_AT + 32 + 1;

function decodes(y: Uint8Array): boolean {
  try {
    return !ristretto255.Point.fromBytes(y).is0();
  } catch {
    return false;
  }
}

const handshakeTampers: { name: string; tamper(f: Frame): Frame }[] = [
  {
    // bit 255 set: never a canonical encoding, the receiver's decoding rejects it
    name: 'a bit that makes the CPace element invalid',
    tamper: (f) => {
      const out = flipBit(f, Y_AT + 31, 7);
      expect(decodes(out.body.subarray(Y_AT, Y_AT + 32))).toBe(false);
      return out;
    },
  },
  {
    name: 'a bit that gives another valid CPace element',
    tamper: (f) => {
      for (let i = 0; i < 256; i++) {
        const out = flipBit(f, Y_AT + (i >> 3), i & 7);
        if (decodes(out.body.subarray(Y_AT, Y_AT + 32))) return out;
      }
      throw new Error('no single bit flip gives a valid element');
    },
  },
  {
    name: "a bit in the sender's associated data",
    tamper: (f) => {
      expect(f.body.length).toBeGreaterThan(AD_AT);
      return flipBit(f, AD_AT, 0);
    },
  },
];

const handshakeSteps = [
  { step: HandshakeStep.initiator, label: 'step 1 (MSGa, technician -> customer)', direction: 'technician->server' },
  { step: HandshakeStep.responder, label: 'step 2 (MSGb, customer -> technician)', direction: 'server->technician' },
] as const satisfies readonly { step: HandshakeStep; label: string; direction: Direction }[];

/**
 * How connect() fails. A bad MSGa is refused by the customer (auth-result false -> wrong-credentials);
 * so is a valid but different element in either message (the technician's tag does not verify). A MSGb
 * that does not decode or names another role is refused by the technician itself ('protocol', abort).
 */
const expectedConnectFailure = (step: HandshakeStep, tamper: string) =>
  step === HandshakeStep.responder && !tamper.includes('another valid') ? 'protocol' : 'wrong-credentials';

async function connectOrError(tech: TechnicianEndpoint, id: string, password: string): Promise<SecureSession | ConnectError> {
  return tech.connect(id, password).catch((err: unknown) => {
    if (err instanceof ConnectError) return err;
    throw err;
  });
}

describe('a hostile relay tampering with the handshake', () => {
  for (const s of handshakeSteps) {
    for (const t of handshakeTampers) {
      it(`${s.label}: ${t.name} -> connect() rejects, no session, the customer counts a failed attempt`, async () => {
        await using srv = await startTestServer();
        await using proxy = await startHostileProxy(srv.url);
        const customer: CustomerEndpoint = await srv.customer({ url: proxy.url });
        const tech = await srv.technician({ url: proxy.url });
        const password = customer.password!;
        let sessions = 0;
        customer.on('session', () => sessions++);
        const failed = customer.once('attempt-failed');

        let fired = 0;
        proxy.hook(s.direction, (f) => (isHandshake(f, s.step) ? (fired++, [t.tamper(f)]) : undefined));
        const result = await within(connectOrError(tech, customer.id, password), 5000, 'connect() to settle');
        expect(fired).toBe(1);
        expect(result).toBeInstanceOf(ConnectError);
        expect((result as ConnectError).reason, (result as Error).message).toBe(expectedConnectFailure(s.step, t.name));
        expect(await within(failed, 2000, "the customer's failed-attempt count")).toEqual({ failures: 1, remaining: 4 });
        expect(customer.failedAttempts).toBe(1);
        expect(sessions).toBe(0);
        expect(customer.ended).toBeUndefined();
        expect(customer.password).toBe(password); // not used up: no session was opened with it

        // control: the same ID and password work once the relay stops tampering
        proxy.hook(s.direction, undefined);
        let retry = await connectOrError(tech, customer.id, password);
        for (let i = 0; i < 5 && retry instanceof ConnectError && retry.reason === 'rate-limited'; i++) {
          await holdStill((retry.retryAfterMs ?? 0) + 10, 'the back-off the server asked for');
          retry = await connectOrError(tech, customer.id, password);
        }
        expect(retry).not.toBeInstanceOf(ConnectError);
        expect(sessions).toBe(1);
        await (retry as SecureSession).end();
        expect(proxy.errors).toEqual([]);
      });
    }
  }
});

// ---- what the relay learns ----

/** A known 100 KB pattern (xorshift32), not compressible or periodic. */
function pattern(length: number, seed = 0x9e3779b9): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

describe('everything the proxy saw', () => {
  it('holds no password, plaintext or session secret, while the things the server must see are there', async () => {
    await using srv = await startTestServer();
    await using proxy = await startHostileProxy(srv.url);
    const customerKeys: KeyLogEntry[] = [];
    const techKeys: KeyLogEntry[] = [];
    const sealedBodies: Buffer[] = [];
    for (const d of ['customer->server', 'server->customer', 'technician->server', 'server->technician'] as const) {
      proxy.hook(d, (f) => void (isSealed(f) && sealedBodies.push(Buffer.from(f.body))));
    }

    // the customer's bytes go through in 4 KiB pieces, so frames span WebSocket messages at the proxy
    const { customer, password, techSession, custSession } = await establish(srv, proxy, { customerChunk: 4096, customerKeys, techKeys });
    const customerId = customer.id;

    const marker = `PLAINTEXT-MARKER::${Buffer.from(crypto.getRandomValues(new Uint8Array(23))).toString('hex')}`;
    expect(marker).toHaveLength(64);
    const blob = pattern(100 * 1024);

    const chatAtCustomer = custSession.once('control');
    await techSession.sendControl({ type: 'chat', text: marker });
    expect(await within(chatAtCustomer, 5000, 'chat')).toEqual({ type: 'chat', text: marker });
    const chatAtTech = techSession.once('control');
    await custSession.sendControl({ type: 'chat', text: `reply ${marker}` });
    expect(await within(chatAtTech, 5000, 'chat reply')).toEqual({ type: 'chat', text: `reply ${marker}` });
    const dataAtTech = techSession.once('data');
    await custSession.sendData(LogicalChannel.data, blob);
    const got = await within(dataAtTech, 5000, 'the 100 KB pattern');
    expect(got.channel).toBe(LogicalChannel.data);
    expect(Buffer.from(got.bytes).equals(Buffer.from(blob))).toBe(true);

    const techEnded = techSession.once('ended');
    await customer.end();
    expect(await within(techEnded, 5000, 'the end')).toMatchObject({ reason: 'ended-by-customer', by: 'customer' });
    await holdStill(50, 'the close handshakes pass through the proxy, so the search below covers them too');
    const wire = proxy.captured();

    // the key log really caught the secrets: all ten, on both ends, equal, not wiped
    const labels = ['isk', 't2c-key', 'c2t-key', 'confirm-technician', 'confirm-customer', 'resume', 'ack-t2c', 'ack-c2t', 'resume-seed-technician', 'resume-seed-customer'];
    expect(customerKeys.map((k) => k.label).sort()).toEqual([...labels].sort());
    expect(techKeys.map((k) => k.label).sort()).toEqual([...labels].sort());
    for (const k of customerKeys) {
      expect(k.bytes.length).toBeGreaterThanOrEqual(16);
      expect(k.bytes.some((b) => b !== 0)).toBe(true);
      expect(techKeys.find((t) => t.label === k.label)?.bytes.equals(k.bytes)).toBe(true);
    }

    const secrets: Needle[] = [
      ...textForms('customer password', password),
      ...encodedForms('chat marker', Buffer.from(marker, 'utf8')),
      ...[0, 1000, 50 * 1024, blob.length - 32].flatMap((at) => encodedForms(`pattern[${at}..+32]`, blob.subarray(at, at + 32))),
      ...customerKeys.flatMap((k) => encodedForms(`key log ${k.label}`, k.bytes)),
      ...textForms('technician account password', TECH_PASSWORD),
      // the short authentication string is read out on the phone, never sent
      { label: 'SAS', bytes: Buffer.from(techSession.sas, 'utf8') },
      { label: 'SAS digits', bytes: Buffer.from(techSession.sas.replace(' ', ''), 'utf8') },
    ];

    // positive controls: the search works on this very capture and on each encoding
    expect(wire.length).toBeGreaterThan(blob.length);
    expect(findNeedles(wire, [{ label: 'customer ID', bytes: Buffer.from(customerId, 'utf8') }])).toEqual(['customer ID']);
    expect(findNeedles(wire, [{ label: 'register', bytes: Buffer.from('"type":"register"', 'utf8') }])).toHaveLength(1);
    expect(sealedBodies.reduce((n, b) => n + b.length, 0)).toBeGreaterThan(blob.length);
    for (const body of sealedBodies) expect(wire.includes(body)).toBe(true);
    const isk = customerKeys.find((k) => k.label === 'isk')!.bytes;
    for (const planted of [
      isk,
      Buffer.from(isk.toString('hex')),
      Buffer.from(isk.toString('hex').toUpperCase()),
      Buffer.from(Buffer.concat([Buffer.of(7), isk, Buffer.of(1, 2)]).toString('base64')),
      Buffer.from(Buffer.concat([Buffer.of(7, 8), isk]).toString('base64url')),
    ]) {
      expect(findNeedles(Buffer.concat([wire, planted, wire.subarray(0, 100)]), encodedForms('key log isk', isk)).length).toBeGreaterThan(0);
    }
    expect(findNeedles(Buffer.concat([wire, Buffer.from(password.toUpperCase())]), textForms('customer password', password))).toContain(
      'customer password upper case (raw)',
    );

    // the finding: none of it crossed the relay
    expect(findNeedles(wire, secrets)).toEqual([]);
    expect(secrets.length).toBeGreaterThan(100);
    expect(proxy.connections).toBe(2);
    expect(proxy.errors).toEqual([]);
  });
});
