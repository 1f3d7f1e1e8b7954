import { describe, expect, it } from 'vitest';
import { networkKey, originAllowed } from './admission.js';

describe('networkKey', () => {
  it('keeps an IPv4 address, also IPv4-mapped', () => {
    expect(networkKey('203.0.113.7')).toBe('203.0.113.7');
    expect(networkKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('puts every address of an IPv6 /64 under one key, however it is written', () => {
    const a = networkKey('2001:db8:1:2::1');
    expect(a).toBe('2001:db8:1:2::/64');
    expect(networkKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe(a);
    expect(networkKey('2001:db8:1:3::1')).not.toBe(a);
    expect(networkKey('::1')).toBe('0:0:0:0::/64');
  });
});

describe('originAllowed', () => {
  it('allows no Origin (the native program) and the host the request went to', () => {
    expect(originAllowed(undefined, 'support.example', undefined)).toBe(true);
    expect(originAllowed('https://support.example', 'support.example', undefined)).toBe(true);
    expect(originAllowed('http://127.0.0.1:8080', '127.0.0.1:8080', undefined)).toBe(true);
  });

  it('allows PUBLIC_URL and refuses any other page', () => {
    expect(originAllowed('https://support.example', 'internal:8080', 'https://support.example/')).toBe(true);
    expect(originAllowed('https://evil.example', 'support.example', 'https://support.example')).toBe(false);
    expect(originAllowed('null', 'support.example', undefined)).toBe(false);
    expect(originAllowed('http://127.0.0.1:9999', '127.0.0.1:8080', undefined)).toBe(false);
  });
});
