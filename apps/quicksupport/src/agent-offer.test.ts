import { describe, expect, it } from 'vitest';
import { forVisitor, groupHex, parseAgentOffers, visitorOs } from './agent-offer.js';

const sha = 'ab'.repeat(32);
const linux = {
  platform: 'linux-x64',
  os: 'linux',
  fileName: 'fernhilfe-quicksupport-linux-x64',
  version: '0.1.0',
  built: '2026-12-07T00:00:00.000Z',
  size: 88_297_984,
  sha256: sha,
  keyId: 'e48dd1ee1715204a',
  downloadUrl: '/download/agent',
  signatureUrl: '/download/agent.sig',
};
const windows = { ...linux, platform: 'win-x64', os: 'windows', fileName: 'fernhilfe-quicksupport.exe', downloadUrl: '/download/agent-win-x64', signatureUrl: '/download/agent-win-x64.sig' };
const body = (...downloads: unknown[]) => ({ available: true, downloads });

describe('the offer of the QuickSupport programs', () => {
  it('takes every build the server publishes', () => {
    const offers = parseAgentOffers(body(windows, linux));
    expect(offers.map((o) => [o.platform, o.os, o.fileName, o.downloadUrl])).toEqual([
      ['win-x64', 'windows', 'fernhilfe-quicksupport.exe', '/download/agent-win-x64'],
      ['linux-x64', 'linux', 'fernhilfe-quicksupport-linux-x64', '/download/agent'],
    ]);
    expect(offers[1]).toEqual({ platform: 'linux-x64', os: 'linux', fileName: linux.fileName, size: linux.size, sha256: sha, keyId: linux.keyId, downloadUrl: '/download/agent', signatureUrl: '/download/agent.sig' });
  });

  it.each([
    ['a link to another site', { ...windows, downloadUrl: 'https://evil.example/agent' }],
    ['a script link', { ...windows, downloadUrl: 'javascript:alert(1)' }],
    ['a protocol-relative link', { ...windows, signatureUrl: '//evil.example/x.sig' }],
    ['a file name with a path', { ...windows, fileName: '../x' }],
    ['an odd fingerprint', { ...windows, sha256: 'xyz' }],
    ['no size', { ...windows, size: null }],
    ['an unknown platform', { ...windows, platform: 'mac-arm64' }],
    ['not an object', 'available'],
  ])('leaves out %s and keeps the rest', (_name, odd) => {
    expect(parseAgentOffers(body(odd, linux)).map((o) => o.platform)).toEqual(['linux-x64']);
  });

  it('offers nothing without a list', () => {
    expect(parseAgentOffers({ available: true })).toEqual([]);
    expect(parseAgentOffers('downloads')).toEqual([]);
  });

  it("knows the visitor's OS from client hints or the user agent", () => {
    expect(visitorOs({ userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36' })).toBe('windows');
    expect(visitorOs({ userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36' })).toBe('linux');
    expect(visitorOs({ userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Safari/605.1.15' })).toBe('mac');
    expect(visitorOs({ userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) Chrome/131.0 Mobile Safari/537.36' })).toBe('other');
    expect(visitorOs({ userAgent: 'Mozilla/5.0 (X11; Linux x86_64)', userAgentData: { platform: 'Windows' } })).toBe('windows');
  });

  it("puts the build for the visitor's OS first", () => {
    const offers = parseAgentOffers(body(windows, linux));
    expect(forVisitor(offers, 'linux')).toEqual({ mine: offers[1], others: [offers[0]] });
    expect(forVisitor(offers, 'windows')).toEqual({ mine: offers[0], others: [offers[1]] });
    expect(forVisitor(offers, 'mac')).toEqual({ mine: undefined, others: offers });
  });

  it('groups the fingerprint in fours for reading it out', () => {
    expect(groupHex('0123456789abcdef01')).toBe('0123 4567 89ab cdef 01');
  });
});
