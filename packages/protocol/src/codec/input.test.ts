import { describe, expect, it } from 'vitest';
import { controlMessageSchema } from '../messages/control.js';
import { decodeJson, encodeJson } from '../messages/common.js';
import { CLIPBOARD_MAX_BYTES } from '../messages/remote-control.js';
import { decodeInputEvent, encodeInputEvent, type InputEvent } from './input.js';

const samples: InputEvent[] = [
  { type: 'pointer-move', x: 0, y: 0 },
  { type: 'pointer-move', x: 1919, y: 1079 },
  { type: 'pointer-button', button: 2, down: true, x: 10, y: 20 },
  { type: 'pointer-button', button: 0, down: false, x: 65535, y: 1 },
  { type: 'wheel', dx: -3, dy: 5, x: 100, y: 200 },
  { type: 'key', down: true, code: 'KeyQ', key: '@' },
  { type: 'key', down: false, code: 'AltRight', key: 'AltGraph' },
  { type: 'key', down: true, code: '', key: '€' },
  { type: 'key', down: true, code: 'Digit1', key: '👍🏽' },
  { type: 'release-all' },
];

describe('input event codec', () => {
  it('round-trips every kind of event', () => {
    for (const e of samples) expect(decodeInputEvent(encodeInputEvent(e))).toEqual({ ok: true, value: e });
  });

  it('refuses what a sender must not send', () => {
    expect(() => encodeInputEvent({ type: 'key', down: true, code: 'Key Q', key: 'q' })).toThrow(/code/);
    expect(() => encodeInputEvent({ type: 'key', down: true, code: 'KeyQ', key: '' })).toThrow(/key/);
    expect(() => encodeInputEvent({ type: 'key', down: true, code: 'KeyQ', key: 'x'.repeat(65) })).toThrow(/key/);
  });

  it('clamps coordinates and wheel steps instead of wrapping them', () => {
    expect(decodeInputEvent(encodeInputEvent({ type: 'pointer-move', x: -5, y: 70000 }))).toEqual({ ok: true, value: { type: 'pointer-move', x: 0, y: 65535 } });
    expect(decodeInputEvent(encodeInputEvent({ type: 'wheel', dx: 1000, dy: -1000, x: 1, y: 1 }))).toMatchObject({ value: { dx: 100, dy: -100 } });
  });

  it('never throws on garbage: every truncation and bit flip is a Result', () => {
    for (const e of samples) {
      const bytes = encodeInputEvent(e);
      for (let n = 0; n < bytes.length; n++) expect(decodeInputEvent(bytes.subarray(0, n)).ok).toBe(false);
      for (let i = 0; i < bytes.length; i++) {
        for (let bit = 0; bit < 8; bit++) {
          const copy = bytes.slice();
          copy[i]! ^= 1 << bit;
          const r = decodeInputEvent(copy);
          if (!r.ok) expect(r.error.reason).toBe('malformed');
        }
      }
    }
    expect(decodeInputEvent(Uint8Array.of(4, 1, 0, 2, 0xff, 0xfe))).toMatchObject({ ok: false });
    expect(decodeInputEvent(Uint8Array.of(9))).toMatchObject({ ok: false });
    expect(decodeInputEvent(Uint8Array.of(3, 0, 101, 0, 0, 0, 0, 0, 0))).toMatchObject({ ok: false });
    expect(decodeInputEvent(Uint8Array.of(2, 5, 1, 0, 0, 0, 0))).toMatchObject({ ok: false });
  });
});

describe('remote-control messages', () => {
  const parse = (m: unknown) => decodeJson(controlMessageSchema, encodeJson(m));
  it('accepts the consent messages and refuses unknown keys', () => {
    for (const type of ['control-request', 'control-release', 'control-granted', 'control-revoked', 'clipboard-request', 'clipboard-release', 'clipboard-allowed', 'clipboard-revoked']) {
      expect(parse({ type }).ok).toBe(true);
      expect(parse({ type, extra: 1 }).ok).toBe(false);
    }
    expect(parse({ type: 'control-refused', reason: 'customer' }).ok).toBe(true);
    expect(parse({ type: 'control-refused', reason: 'bored' }).ok).toBe(false);
  });

  it('bounds clipboard text in UTF-8 bytes, and the largest fits one frame', () => {
    const ascii = 'a'.repeat(CLIPBOARD_MAX_BYTES);
    expect(parse({ type: 'clipboard-text', text: ascii }).ok).toBe(true);
    expect(parse({ type: 'clipboard-text', text: ascii + 'b' }).ok).toBe(false);
    expect(parse({ type: 'clipboard-text', text: 'ü'.repeat(CLIPBOARD_MAX_BYTES / 2) }).ok).toBe(true);
    expect(parse({ type: 'clipboard-text', text: 'ü'.repeat(CLIPBOARD_MAX_BYTES / 2 + 1) }).ok).toBe(false);
    expect(encodeJson({ type: 'clipboard-text', text: ascii }).length).toBeLessThan(1024 * 1024);
  });
});
