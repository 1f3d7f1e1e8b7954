import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IceServerIssuer, turnCredential } from './turn-credentials.js';

describe('TURN REST credentials', () => {
  it('username is expiry:label, credential is base64 HMAC-SHA1 of the username', () => {
    const { username, credential } = turnCredential('s3cret', '123456789-customer', 600, 1_700_000_000_000);
    expect(username).toBe('1700000600:123456789-customer');
    expect(credential).toBe(createHmac('sha1', 's3cret').update(username).digest('base64'));
    // a known value (RFC 2104 HMAC-SHA1, `printf 0:x | openssl dgst -sha1 -hmac key -binary | base64`)
    expect(turnCredential('key', 'x', 0, 0).credential).toBe('vJC+T5qsQpFZs5gstHyj/MfG8jM=');
  });

  it('splits STUN from TURN and gives only TURN servers credentials', () => {
    const issuer = new IceServerIssuer({ urls: ['stun:10.0.0.1:3478', 'turn:10.0.0.1:3478?transport=udp', 'turns:turn.example:5349'], secret: 'x', ttlS: 60 }, () => 0);
    const msg = issuer.forSession('123456789', 'technician');
    expect(msg.iceServers).toEqual([
      { urls: ['stun:10.0.0.1:3478'] },
      { urls: ['turn:10.0.0.1:3478?transport=udp', 'turns:turn.example:5349'], username: '60:123456789-technician', credential: expect.any(String) },
    ]);
    expect(new IceServerIssuer({ urls: [], secret: undefined, ttlS: 60 }).forSession('123456789', 'customer').iceServers).toEqual([]);
  });
});
