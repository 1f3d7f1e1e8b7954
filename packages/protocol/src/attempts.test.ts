import { describe, expect, it } from 'vitest';
import { MAX_FAILED_ATTEMPTS, attemptEnds, attemptRound, isFailedAttempt } from './attempts.js';

describe('a failed attempt', () => {
  it('counts every end for the server, and for the customer once the password was tried', () => {
    for (const end of attemptEnds) expect(isFailedAttempt(end, 'server')).toBe(true);
    expect(isFailedAttempt('wrong-password', { handshakeStarted: false })).toBe(true);
    expect(isFailedAttempt('technician-left', { handshakeStarted: false })).toBe(false);
    expect(isFailedAttempt('timeout', { handshakeStarted: false })).toBe(false);
    expect(isFailedAttempt('technician-left', { handshakeStarted: true })).toBe(true);
    expect(isFailedAttempt('gave-up', { handshakeStarted: true })).toBe(true);
  });

  it(`changes the password after every ${MAX_FAILED_ATTEMPTS} failed attempts`, () => {
    expect(attemptRound(0)).toEqual({ inRound: 0, remaining: MAX_FAILED_ATTEMPTS, rotate: false });
    expect(attemptRound(1)).toEqual({ inRound: 1, remaining: MAX_FAILED_ATTEMPTS - 1, rotate: false });
    expect(attemptRound(MAX_FAILED_ATTEMPTS)).toEqual({ inRound: MAX_FAILED_ATTEMPTS, remaining: 0, rotate: true });
    expect(attemptRound(MAX_FAILED_ATTEMPTS + 2)).toEqual({ inRound: 2, remaining: MAX_FAILED_ATTEMPTS - 2, rotate: false });
    expect(attemptRound(2 * MAX_FAILED_ATTEMPTS)).toMatchObject({ rotate: true });
  });
});
