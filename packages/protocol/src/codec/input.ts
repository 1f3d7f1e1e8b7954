import { ProtocolError } from '../errors.js';
import type { Result } from '../messages/common.js';

/**
 * Remote input on LogicalChannel.input (technician -> customer, inside the encrypted channel). One event
 * per frame, big-endian, compact because a moving mouse sends dozens a second:
 *
 *   u8 1 pointer-move    | u16 x | u16 y
 *   u8 2 pointer-button  | u8 button | u8 down (0/1) | u16 x | u16 y
 *   u8 3 wheel           | i16 dx | i16 dy | u16 x | u16 y          (notches; + = right / down)
 *   u8 4 key             | u8 down (0/1) | u8 n | code (n ASCII) | u8 m | key (m bytes UTF-8)
 *   u8 5 release-all
 *
 * x, y are pixels of the shared monitor's frame (the video-config size), 0,0 top left. `button` is the
 * browser's MouseEvent.button (0 left, 1 middle, 2 right, 3 back, 4 forward). `code` is the browser's
 * KeyboardEvent.code (the physical key, "KeyQ"), `key` its KeyboardEvent.key (what it means, "@",
 * "Enter"). The agent drops all of it unless the customer granted control.
 */
export type InputEvent =
  | { type: 'pointer-move'; x: number; y: number }
  | { type: 'pointer-button'; button: PointerButton; down: boolean; x: number; y: number }
  | { type: 'wheel'; dx: number; dy: number; x: number; y: number }
  | { type: 'key'; down: boolean; code: string; key: string }
  | { type: 'release-all' };

export type PointerButton = 0 | 1 | 2 | 3 | 4;
export type InputEventType = InputEvent['type'];

export const INPUT_TAG = { 'pointer-move': 1, 'pointer-button': 2, wheel: 3, key: 4, 'release-all': 5 } as const satisfies Record<InputEventType, number>;
/** Longest `code` ("NumpadMultiply", "MediaTrackPrevious" are the long ones). */
export const MAX_KEY_CODE = 32;
/** Longest `key` in UTF-8 bytes (a named key, or a character, possibly a few code points long). */
export const MAX_KEY_TEXT = 64;
/** Largest wheel step count in one event, either axis. */
export const MAX_WHEEL_STEPS = 100;

const CODE = /^[A-Za-z0-9]*$/;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function encodeInputEvent(e: InputEvent): Uint8Array {
  switch (e.type) {
    case 'pointer-move': {
      const out = new Uint8Array(5);
      const v = new DataView(out.buffer);
      out[0] = INPUT_TAG['pointer-move'];
      v.setUint16(1, coord(e.x));
      v.setUint16(3, coord(e.y));
      return out;
    }
    case 'pointer-button': {
      const out = new Uint8Array(7);
      const v = new DataView(out.buffer);
      out[0] = INPUT_TAG['pointer-button'];
      out[1] = e.button;
      out[2] = e.down ? 1 : 0;
      v.setUint16(3, coord(e.x));
      v.setUint16(5, coord(e.y));
      return out;
    }
    case 'wheel': {
      const out = new Uint8Array(9);
      const v = new DataView(out.buffer);
      out[0] = INPUT_TAG.wheel;
      v.setInt16(1, steps(e.dx));
      v.setInt16(3, steps(e.dy));
      v.setUint16(5, coord(e.x));
      v.setUint16(7, coord(e.y));
      return out;
    }
    case 'key': {
      if (e.code.length > MAX_KEY_CODE || !CODE.test(e.code)) throw ProtocolError.malformed('key code must be at most 32 ASCII letters and digits');
      const key = encoder.encode(e.key);
      if (key.length < 1 || key.length > MAX_KEY_TEXT) throw ProtocolError.malformed('key must be 1 to 64 bytes of UTF-8');
      const out = new Uint8Array(4 + e.code.length + key.length);
      out[0] = INPUT_TAG.key;
      out[1] = e.down ? 1 : 0;
      out[2] = e.code.length;
      out.set(encoder.encode(e.code), 3);
      out[3 + e.code.length] = key.length;
      out.set(key, 4 + e.code.length);
      return out;
    }
    case 'release-all':
      return Uint8Array.of(INPUT_TAG['release-all']);
  }
}

/** Parses one input frame; never throws (anything wrong is a `malformed` error). */
export function decodeInputEvent(bytes: Uint8Array): Result<InputEvent> {
  const fail = (detail: string): Result<InputEvent> => ({ ok: false, error: ProtocolError.malformed(`input event: ${detail}`) });
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const exact = (n: number) => bytes.length === n;
  switch (bytes[0]) {
    case INPUT_TAG['pointer-move']:
      if (!exact(5)) return fail('pointer-move of wrong length');
      return { ok: true, value: { type: 'pointer-move', x: v.getUint16(1), y: v.getUint16(3) } };
    case INPUT_TAG['pointer-button']: {
      if (!exact(7)) return fail('pointer-button of wrong length');
      const button = bytes[1]!;
      const down = bytes[2]!;
      if (button > 4) return fail('unknown button');
      if (down > 1) return fail('bad button state');
      return { ok: true, value: { type: 'pointer-button', button: button as PointerButton, down: down === 1, x: v.getUint16(3), y: v.getUint16(5) } };
    }
    case INPUT_TAG.wheel: {
      if (!exact(9)) return fail('wheel of wrong length');
      const dx = v.getInt16(1);
      const dy = v.getInt16(3);
      if (Math.abs(dx) > MAX_WHEEL_STEPS || Math.abs(dy) > MAX_WHEEL_STEPS) return fail('too many wheel steps');
      return { ok: true, value: { type: 'wheel', dx, dy, x: v.getUint16(5), y: v.getUint16(7) } };
    }
    case INPUT_TAG.key:
      return decodeKey(bytes, fail);
    case INPUT_TAG['release-all']:
      return exact(1) ? { ok: true, value: { type: 'release-all' } } : fail('release-all of wrong length');
    default:
      return fail('unknown type');
  }
}

function decodeKey(bytes: Uint8Array, fail: (detail: string) => Result<InputEvent>): Result<InputEvent> {
  if (bytes.length < 4) return fail('key too short');
  const down = bytes[1]!;
  const n = bytes[2]!;
  if (down > 1) return fail('bad key state');
  if (n > MAX_KEY_CODE || bytes.length < 4 + n) return fail('bad code length');
  const m = bytes[3 + n]!;
  if (m < 1 || m > MAX_KEY_TEXT || bytes.length !== 4 + n + m) return fail('bad key length');
  const code = String.fromCharCode(...bytes.subarray(3, 3 + n));
  if (!CODE.test(code)) return fail('bad code');
  let key: string;
  try {
    key = decoder.decode(bytes.subarray(4 + n));
  } catch {
    return fail('key is not UTF-8');
  }
  return { ok: true, value: { type: 'key', down: down === 1, code, key } };
}

function coord(n: number): number {
  return Math.max(0, Math.min(0xffff, Math.round(n)));
}

function steps(n: number): number {
  return Math.max(-MAX_WHEEL_STEPS, Math.min(MAX_WHEEL_STEPS, Math.round(n)));
}
