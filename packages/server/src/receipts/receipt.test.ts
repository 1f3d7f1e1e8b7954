import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../audit/canonical.js';
import { ReceiptKeys } from './keys.js';
import { ReceiptService, RECEIPT_FORMAT } from './receipt.js';

function keysFor(): ReceiptKeys {
  return new ReceiptKeys(generateKeyPairSync('ed25519').privateKey);
}

describe('receipt signatures', () => {
  const keys = keysFor();
  // only verify() is used here: it needs nothing but the keys
  const service = new ReceiptService({ keys } as unknown as ConstructorParameters<typeof ReceiptService>[0]);
  const receipt = { format: RECEIPT_FORMAT, session: { id: 'x', customerId: '123456789' }, events: [{ event: 'file-completed', data: { name: 'a.txt', sha256: 'ab'.repeat(32) } }] };
  const signed = { receipt, signature: { alg: 'Ed25519', publicKey: keys.publicKey, value: keys.sign(canonicalJson(receipt)) } };

  it('calls an unchanged receipt genuine, in any key order', () => {
    expect(service.verify(signed)).toEqual({ genuine: true, reason: 'genuine' });
    expect(service.verify(JSON.parse(JSON.stringify({ signature: signed.signature, receipt: { events: receipt.events, session: receipt.session, format: RECEIPT_FORMAT } })))).toEqual({ genuine: true, reason: 'genuine' });
  });

  it('refuses any change to the content, the signature or the key', () => {
    const changed = structuredClone(signed);
    changed.receipt.events[0]!.data.name = 'b.txt';
    expect(service.verify(changed)).toEqual({ genuine: false, reason: 'bad-signature' });
    const flipped = structuredClone(signed);
    flipped.signature.value = (flipped.signature.value[0] === 'A' ? 'B' : 'A') + flipped.signature.value.slice(1);
    expect(service.verify(flipped).genuine).toBe(false);
    const other = keysFor();
    const forged = { receipt, signature: { alg: 'Ed25519', publicKey: other.publicKey, value: other.sign(canonicalJson(receipt)) } };
    expect(service.verify(forged)).toEqual({ genuine: false, reason: 'unknown-key' });
    const swapped = { receipt, signature: { ...forged.signature, publicKey: keys.publicKey } };
    expect(service.verify(swapped)).toEqual({ genuine: false, reason: 'bad-signature' });
  });

  it.each([null, 'x', [], { receipt }, { ...signed, extra: 1 }, { receipt: { ...receipt, format: 'other' }, signature: signed.signature }])('says %j is not a receipt', (body) => {
    expect(service.verify(body)).toEqual({ genuine: false, reason: 'not-a-receipt' });
  });
});
