import { describe, expect, it } from 'vitest';
import { decodePeerPayload, type AckPayload, type SyncPayload } from '../codec/peer.js';
import { ProtocolError } from '../errors.js';
import { AckAuthenticator } from './acks.js';
import { toHex } from './bytes.js';
import { deriveSessionSecrets } from './keys.js';
import { ackKey, resumePublicKey, resumeSigningSeed, signResumeProof, verifyResumeProof } from './resume.js';

const resume = deriveSessionSecrets(new Uint8Array(64).map((_, i) => i), new Uint8Array(16).fill(3)).resume;
const nonce = new Uint8Array(32).fill(0xab);
const ID = '123456789';

describe('resume keys', () => {
  it('one Ed25519 seed per role and one ACK key per direction, all different, all from the resume secret', () => {
    const all = [resumeSigningSeed(resume, 'technician'), resumeSigningSeed(resume, 'customer'), ackKey(resume, 't2c'), ackKey(resume, 'c2t'), resume].map(toHex);
    expect(new Set(all).size).toBe(5);
    expect(toHex(resumeSigningSeed(resume, 'customer'))).toBe(all[1]);
    const other = deriveSessionSecrets(new Uint8Array(64).fill(9), new Uint8Array(16)).resume;
    expect(toHex(resumeSigningSeed(other, 'customer'))).not.toBe(all[1]);
  });

  it('a proof verifies for its role, ID and nonce only', () => {
    const seed = resumeSigningSeed(resume, 'customer');
    const pub = resumePublicKey(seed);
    const sig = signResumeProof(seed, 'customer', ID, nonce);
    expect(sig).toHaveLength(64);
    expect(verifyResumeProof(pub, sig, 'customer', ID, nonce)).toBe(true);
    expect(verifyResumeProof(pub, sig, 'technician', ID, nonce)).toBe(false);
    expect(verifyResumeProof(pub, sig, 'customer', '123456780', nonce)).toBe(false);
    expect(verifyResumeProof(pub, sig, 'customer', ID, nonce.map((b, i) => (i === 0 ? b ^ 1 : b)))).toBe(false);
    expect(verifyResumeProof(resumePublicKey(resumeSigningSeed(resume, 'technician')), sig, 'customer', ID, nonce)).toBe(false);
    // malformed inputs are a plain "no", never a throw
    expect(verifyResumeProof(pub, sig.subarray(1), 'customer', ID, nonce)).toBe(false);
    expect(verifyResumeProof(new Uint8Array(32), sig, 'customer', ID, nonce)).toBe(false);
    expect(verifyResumeProof(new Uint8Array(3), new Uint8Array(64), 'customer', ID, nonce)).toBe(false);
  });
});

describe('authenticated ACK and SYNC', () => {
  const tech = AckAuthenticator.forRole(resume, 'technician');
  const cust = AckAuthenticator.forRole(resume, 'customer');
  const decode = (b: Uint8Array) => decodePeerPayload(b) as AckPayload | SyncPayload;

  it('the peer accepts what the other role made, with the values in it', () => {
    const ack = decode(tech.ack(12345n));
    expect(ack).toMatchObject({ type: 'ack', next: 12345n });
    expect(() => cust.check(ack)).not.toThrow();
    const sync = decode(cust.sync(7, 2n ** 40n));
    expect(sync).toMatchObject({ type: 'sync', path: 7, next: 2n ** 40n });
    expect(() => tech.check(sync)).not.toThrow();
  });

  it('a changed count, a wrong tag, or an ACK reflected back to its sender is tampered', () => {
    const bytes = tech.ack(5n);
    const changed = bytes.slice();
    changed[8]! ^= 1; // next 5 -> 4
    expect(() => cust.check(decode(changed))).toThrow(ProtocolError);
    const badTag = bytes.slice();
    badTag[24]! ^= 0x80;
    expect(() => cust.check(decode(badTag))).toThrow(/tampered/);
    expect(() => tech.check(decode(bytes))).toThrow(/tampered/); // the other direction's key
  });

  it('an ACK and a SYNC never stand in for each other, and the sizes are exact', () => {
    const sync = cust.sync(1, 5n);
    expect(sync).toHaveLength(29);
    expect(tech.ack(5n)).toHaveLength(25);
    expect(() => decodePeerPayload(sync.subarray(0, 25))).toThrow(/malformed/);
    const asAck = Uint8Array.of(0x30, ...sync.subarray(5));
    expect(() => tech.check(decode(asAck))).toThrow(/tampered/);
  });
});
