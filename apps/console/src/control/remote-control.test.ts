import { describe, expect, it } from 'vitest';
import type { ControlMessage } from '@fernhilfe/protocol';
import { RemoteControl } from './remote-control';

describe('RemoteControl (technician side)', () => {
  it('asks, is granted, releases; a refusal and a revoke are shown and can be asked again', () => {
    const sent: ControlMessage[] = [];
    const rc = new RemoteControl((m) => sent.push(m));
    rc.requestControl();
    rc.requestControl(); // a double click asks once
    expect(rc.store.get().control).toBe('waiting');
    rc.handle({ type: 'control-refused', reason: 'customer' });
    expect(rc.store.get().control).toBe('refused');
    rc.requestControl();
    rc.handle({ type: 'control-granted' });
    expect(rc.store.get().control).toBe('granted');
    rc.handle({ type: 'control-revoked' });
    expect(rc.store.get().control).toBe('revoked');
    rc.requestControl();
    rc.handle({ type: 'control-granted' });
    rc.releaseControl();
    expect(rc.store.get().control).toBe('off');
    expect(sent.map((m) => m.type)).toEqual(['control-request', 'control-request', 'control-request', 'control-release']);
  });

  it('a browser-only customer cannot be controlled', () => {
    const rc = new RemoteControl(() => undefined);
    rc.requestControl();
    rc.handle({ type: 'control-refused', reason: 'unsupported' });
    expect(rc.store.get().control).toBe('unsupported');
  });

  it('clipboard text is kept and sent only while the clipboard is shared', () => {
    const sent: ControlMessage[] = [];
    const rc = new RemoteControl((m) => sent.push(m));
    expect(rc.sendClipboard('x')).toBe(false);
    rc.handle({ type: 'clipboard-text', text: 'too early' });
    expect(rc.store.get().customerClipboard).toBeUndefined();
    rc.requestClipboard();
    rc.handle({ type: 'clipboard-allowed' });
    rc.handle({ type: 'clipboard-text', text: 'kopiert' });
    expect(rc.store.get().customerClipboard).toBe('kopiert');
    expect(rc.sendClipboard('hallo')).toBe(true);
    rc.handle({ type: 'clipboard-revoked' });
    expect(rc.store.get()).toMatchObject({ clipboard: 'revoked', customerClipboard: undefined });
    expect(rc.sendClipboard('nope')).toBe(false);
    expect(sent).toEqual([{ type: 'clipboard-request' }, { type: 'clipboard-text', text: 'hallo' }]);
  });
});
