import { describe, expect, it } from 'vitest';
import { receiptHref } from './components/ReceiptLink.js';

const token = 'ab'.repeat(32);

describe('receiptHref', () => {
  it('links relative on the server page, with the language', () => {
    expect(receiptHref(token, undefined, 'de')).toBe(`/receipt?lang=de#token=${token}`);
  });
  it("in agent mode, takes the agent's absolute address on the support server", () => {
    expect(receiptHref(undefined, `https://support.example.com/receipt#token=${token}`, 'en')).toBe(`https://support.example.com/receipt?lang=en#token=${token}`);
  });
  it('refuses anything that is not a receipt address or token', () => {
    expect(receiptHref('xyz', undefined, 'de')).toBeUndefined();
    expect(receiptHref(undefined, undefined, 'de')).toBeUndefined();
    expect(receiptHref(undefined, `javascript:alert(1)//#token=${token}`, 'de')).toBeUndefined();
    expect(receiptHref(undefined, `https://evil.example/steal#token=${token}`, 'de')).toBeUndefined();
    expect(receiptHref(undefined, 'https://support.example.com/receipt#token=short', 'de')).toBeUndefined();
    expect(receiptHref(undefined, 'not a url', 'de')).toBeUndefined();
  });
});
