import { describe, expect, it } from 'vitest';
import { canMove, endKey } from './session-state.js';

describe('session state machine', () => {
  it('allows only the documented transitions', () => {
    expect(canMove('terms', 'registering')).toBe(true);
    expect(canMove('loading', 'waiting')).toBe(false);
    expect(canMove('waiting', 'active')).toBe(false); // a session always comes through pairing
    expect(canMove('ended', 'waiting')).toBe(false);
  });

  it('says "you closed it before anybody connected" when there was no session', () => {
    expect(endKey({ reason: 'ended-by-customer', by: 'local' }, false)).toBe('ended-before-start');
    expect(endKey({ reason: 'ended-by-customer', by: 'local' }, true)).toBe('ended-by-customer');
    expect(endKey({ reason: 'tampered', by: 'technician' }, true)).toBe('tampered');
  });
});
