import { describe, expect, it, vi } from 'vitest';
import { FernhilfeError, InvariantError, describeError } from './base-error.js';
import { Emitter } from './emitter.js';
import { ProtocolError, toProtocolError } from './errors.js';

class SampleError extends FernhilfeError<'first' | 'second'> {
  override readonly name = 'SampleError';
}

describe('FernhilfeError', () => {
  it('carries reason, detail and cause, and prints the detail', () => {
    const cause = new Error('disk full');
    const err = new SampleError('second', 'could not save the file', { cause });
    expect(err).toBeInstanceOf(Error);
    expect(err.reason).toBe('second');
    expect(err.detail).toBe('could not save the file');
    expect(err.message).toBe('could not save the file');
    expect(err.cause).toBe(cause);
    expect(err.name).toBe('SampleError');
  });

  it('ProtocolError keeps its "reason: detail" message and wraps unknown throws with their cause', () => {
    const err = toProtocolError(new TypeError('bad byte'));
    expect(err).toBeInstanceOf(FernhilfeError);
    expect(err.message).toBe('malformed: bad byte');
    expect(err.cause).toBeInstanceOf(TypeError);
    expect(ProtocolError.replayed(3n, 4n).reason).toBe('replayed');
  });

  it('InvariantError and describeError', () => {
    expect(new InvariantError('no root element').reason).toBe('invariant');
    expect(describeError('plain')).toBe('plain');
    expect(describeError(new Error('x'))).toBe('x');
  });
});

class Bell extends Emitter<{ ring: number }> {
  ring(n: number): void {
    this.emit('ring', n);
  }
}

describe('Emitter: a listener that throws', () => {
  it('is reported, and the other listeners still run', () => {
    const reported: Array<[string, unknown]> = [];
    const bell = new (class extends Emitter<{ ring: number }> {
      constructor() {
        super((event, error) => reported.push([event, error]));
      }
      ring(n: number): void {
        this.emit('ring', n);
      }
    })();
    const seen: number[] = [];
    const boom = new Error('listener bug');
    bell.on('ring', () => {
      throw boom;
    });
    bell.on('ring', (n) => seen.push(n));
    bell.ring(7);
    expect(seen).toEqual([7]);
    expect(reported).toEqual([['ring', boom]]);
  });

  it('goes to console.error by default, never silently', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const bell = new Bell();
      bell.on('ring', () => {
        throw new Error('listener bug');
      });
      bell.ring(1);
      expect(spy).toHaveBeenCalledOnce();
      expect(String(spy.mock.calls[0]?.[0])).toContain('"ring"');
    } finally {
      spy.mockRestore();
    }
  });
});
