import { describe, expect, it } from 'vitest';
import { ChannelOpener, ChannelSealer } from './channel.js';
import { deriveSessionSecrets } from './keys.js';

const secrets = () => deriveSessionSecrets(new Uint8Array(64).fill(7), new Uint8Array(16).fill(9));
const msg = (s: string) => new TextEncoder().encode(s);

async function pair() {
  const s = secrets();
  return {
    sealer: await ChannelSealer.create(s.t2c, s.channelId, 't2c'),
    opener: await ChannelOpener.create(s.t2c, s.channelId, 't2c'),
    s,
  };
}

describe('encrypted channel', () => {
  it('opens what was sealed, in order', async () => {
    const { sealer, opener } = await pair();
    const frames = [await sealer.seal(msg('eins')), await sealer.seal(msg('zwei'))];
    expect(new TextDecoder().decode(await opener.open(frames[0]!))).toBe('eins');
    expect(new TextDecoder().decode(await opener.open(frames[1]!))).toBe('zwei');
    expect(opener.received).toBe(2n);
  });

  it('never encrypts the same plaintext the same way twice (nonce per sequence number)', async () => {
    const { sealer } = await pair();
    const a = await sealer.seal(msg('same'));
    const b = await sealer.seal(msg('same'));
    expect(Buffer.from(a.subarray(9)).equals(Buffer.from(b.subarray(9)))).toBe(false);
  });

  it.each([
    ['a flipped ciphertext bit', (f: Uint8Array[]) => [flip(f[0]!, 12)], 'tampered'],
    ['a flipped sequence bit', (f: Uint8Array[]) => [flip(f[0]!, 8)], 'tampered'],
    ['a replayed frame', (f: Uint8Array[]) => [f[0]!, f[0]!], 'replayed'],
    ['a dropped frame', (f: Uint8Array[]) => [f[1]!], 'out-of-order'],
    ['swapped frames', (f: Uint8Array[]) => [f[1]!, f[0]!], 'out-of-order'],
    ['a truncated frame', (f: Uint8Array[]) => [f[0]!.subarray(0, f[0]!.length - 1)], 'tampered'],
    ['a frame shorter than its header and tag', (f: Uint8Array[]) => [f[0]!.subarray(0, 20)], 'malformed'],
  ] as const)('detects %s', async (_name, attack, reason) => {
    const { sealer, opener } = await pair();
    const frames = [await sealer.seal(msg('one')), await sealer.seal(msg('two'))];
    const results = await Promise.allSettled(attack(frames).map((f) => opener.open(f)));
    const failure = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(failure.reason).toMatchObject({ reason });
    // after the first failure the channel is dead: even a genuine frame is refused
    await expect(opener.open(frames[0]!)).rejects.toMatchObject({ reason });
  });

  it('a frame sealed for one direction does not open in the other', async () => {
    const s = secrets();
    const sealer = await ChannelSealer.create(s.t2c, s.channelId, 't2c');
    const wrongDirection = await ChannelOpener.create(s.c2t, s.channelId, 'c2t');
    await expect(wrongDirection.open(await sealer.seal(msg('x')))).rejects.toMatchObject({ reason: 'tampered' });
  });
});

function flip(frame: Uint8Array, at: number): Uint8Array {
  const copy = frame.slice();
  copy[at]! ^= 0x01;
  return copy;
}
