import { Emitter } from '@fernhilfe/protocol';
import { describe, expect, it } from 'vitest';
import { listenerErrorsTo, type Log } from './log.js';

class Ticker extends Emitter<{ tick: number }> {
  constructor(log: Log) {
    super(listenerErrorsTo(log));
  }
  tick(n: number): void {
    this.emit('tick', n);
  }
}

describe('listenerErrorsTo', () => {
  it('puts a throwing listener into the agent log, and the other listeners still hear the event', () => {
    const lines: Array<{ obj: object; msg: string }> = [];
    const log: Log = { info: () => undefined, warn: () => undefined, error: (obj, msg) => void lines.push({ obj, msg }) };
    const ticker = new Ticker(log);
    const heard: number[] = [];
    const bug = new TypeError('listener bug');
    ticker.on('tick', () => {
      throw bug;
    });
    ticker.on('tick', (n) => heard.push(n));

    ticker.tick(7);

    expect(heard).toEqual([7]);
    expect(lines).toEqual([{ obj: { err: bug, event: 'tick' }, msg: 'a listener for "tick" threw' }]);
  });
});
