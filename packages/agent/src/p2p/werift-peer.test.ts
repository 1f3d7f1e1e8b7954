import { describe, expect, it } from 'vitest';
import { iceServersForAttempt } from './werift-peer.js';

const servers = [
  { urls: ['turns:turn.example.com:5349?transport=tcp'], username: 'u', credential: 'c' },
  { urls: 'stun:turn.example.com:3478' },
  { urls: ['turn:turn.example.com:3478?transport=tcp', 'turn:turn.example.com:3478?transport=udp'], username: 'u', credential: 'c' },
];

describe('the ICE servers werift gets (one STUN, one TURN per connection)', () => {
  it('takes turns over UDP, TCP, TLS from one connection of a session to the next, with the credentials', () => {
    const turnOf = (n: number) => iceServersForAttempt(servers, n).find((s) => String(s.urls).startsWith('turn'));
    expect([0, 1, 2, 3].map((n) => turnOf(n)?.urls)).toEqual([
      'turn:turn.example.com:3478?transport=udp',
      'turn:turn.example.com:3478?transport=tcp',
      'turns:turn.example.com:5349?transport=tcp',
      'turn:turn.example.com:3478?transport=udp',
    ]);
    expect(turnOf(1)).toMatchObject({ username: 'u', credential: 'c' });
  });

  it('keeps the first STUN server; nothing when the server sent none (never a public default)', () => {
    expect(iceServersForAttempt(servers, 0)[0]).toEqual({ urls: 'stun:turn.example.com:3478' });
    expect(iceServersForAttempt([], 0)).toEqual([]);
    expect(iceServersForAttempt([{ urls: 'stun:a:3478' }, { urls: 'stun:b:3478' }], 5)).toEqual([{ urls: 'stun:a:3478' }]);
  });
});
