import { describe, expect, it } from 'vitest';
import { groupHex, parseAgentOffer } from './agent-offer.js';

const sha = 'ab'.repeat(32);
const valid = {
  available: true,
  publicKey: 'w/S3Bc5NFShSRSubbRIQCwrjCK1VaXRvT8zNzM7586A=',
  publicKeyPem: '-----BEGIN PUBLIC KEY-----\n…',
  keyId: 'e48dd1ee1715204a',
  fileName: 'fernhilfe-quicksupport-linux-x64',
  size: 88_297_984,
  sha256: sha,
  downloadUrl: '/download/agent',
  signatureUrl: '/download/agent.sig',
};

describe('the offer of the QuickSupport program', () => {
  it('takes what the server publishes when a download is available', () => {
    expect(parseAgentOffer(valid)).toEqual({ fileName: valid.fileName, size: valid.size, sha256: sha, keyId: valid.keyId, downloadUrl: '/download/agent', signatureUrl: '/download/agent.sig' });
  });

  it.each([
    ['no download available', { ...valid, available: false }],
    ['a link to another site', { ...valid, downloadUrl: 'https://evil.example/agent' }],
    ['a script link', { ...valid, downloadUrl: 'javascript:alert(1)' }],
    ['a protocol-relative link', { ...valid, signatureUrl: '//evil.example/x.sig' }],
    ['a file name with a path', { ...valid, fileName: '../x' }],
    ['an odd fingerprint', { ...valid, sha256: 'xyz' }],
    ['no size', { ...valid, size: null }],
    ['not an object', 'available'],
  ])('offers nothing for %s', (_name, body) => {
    expect(parseAgentOffer(body)).toBeNull();
  });

  it('groups the fingerprint in fours for reading it out', () => {
    expect(groupHex('0123456789abcdef01')).toBe('0123 4567 89ab cdef 01');
  });
});
