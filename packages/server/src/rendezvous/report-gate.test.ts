import { describe, expect, it } from 'vitest';
import { ReportGate } from './report-gate.js';

const file = { transferId: '0123456789abcdef', name: 'a.txt', size: 10 } as const;
const toCustomer = { ...file, direction: 'to-customer' } as const;

describe('ReportGate', () => {
  it('believes consents only from the customer', () => {
    const gate = new ReportGate({ quota: 100 });
    expect(gate.check('customer', { event: 'control-granted' })).toBeUndefined();
    expect(gate.check('technician', { event: 'control-granted' })).toMatch(/only the customer's side/);
    expect(gate.check('technician', { event: 'clipboard-allowed' })).toMatch(/only the customer's side/);
  });

  it('believes an offer from the sender and the outcome from the receiver', () => {
    const gate = new ReportGate({ quota: 100 });
    expect(gate.check('technician', { event: 'file-offered', ...toCustomer })).toBeUndefined();
    expect(gate.check('customer', { event: 'file-offered', ...toCustomer })).toMatch(/technician's side/);
    expect(gate.check('customer', { event: 'file-completed', ...toCustomer, sha256: 'a'.repeat(64) })).toBeUndefined();
    expect(gate.check('technician', { event: 'file-completed', ...toCustomer, sha256: 'a'.repeat(64) })).toMatch(/customer's side/);
  });

  it('refuses a transfer the file policy forbids, but not the report of its refusal', () => {
    const gate = new ReportGate({ quota: 100, files: { maxBytes: 5, directions: ['to-technician'] } });
    expect(gate.check('technician', { event: 'file-offered', ...toCustomer, size: 1 })).toMatch(/not allowed/);
    expect(gate.check('customer', { event: 'file-offered', ...file, direction: 'to-technician' })).toMatch(/over this server's limit of 5/);
    expect(gate.check('technician', { event: 'file-failed', ...file, direction: 'to-technician', reason: 'too-large' })).toBeUndefined();
  });

  it('stops after the quota', () => {
    const gate = new ReportGate({ quota: 2 });
    expect([1, 2, 3].map(() => gate.check('customer', { event: 'control-granted' }))).toEqual([undefined, undefined, expect.stringMatching(/more than 2 reports/)]);
  });
});
