import { describe, expect, it } from 'vitest';
import { toHex } from './bytes.js';
import { confirmationTag, deriveSessionSecrets } from './keys.js';

const isk = new Uint8Array(64).map((_, i) => i);
const sid = new Uint8Array(16).fill(1);

describe('key schedule', () => {
  it('is deterministic and gives every purpose its own bytes', () => {
    const a = deriveSessionSecrets(isk, sid);
    const b = deriveSessionSecrets(isk, sid);
    expect(toHex(a.t2c.key)).toBe(toHex(b.t2c.key));
    const all = [a.t2c.key, a.t2c.iv, a.c2t.key, a.c2t.iv, a.confirmTechnician, a.confirmCustomer, a.channelId, a.resume].map(toHex);
    expect(new Set(all).size).toBe(all.length);
    expect(a.sas).toMatch(/^\d{3} \d{3}$/);
  });

  it('depends on the session nonce', () => {
    expect(toHex(deriveSessionSecrets(isk, sid).t2c.key)).not.toBe(toHex(deriveSessionSecrets(isk, new Uint8Array(16)).t2c.key));
  });

  it('gives each role a different confirmation tag over the same transcript', () => {
    const s = deriveSessionSecrets(isk, sid);
    const t = new Uint8Array([1, 2, 3]);
    expect(toHex(confirmationTag(s, 'technician', t))).not.toBe(toHex(confirmationTag(s, 'customer', t)));
    expect(confirmationTag(s, 'technician', t)).toHaveLength(32);
  });
});
