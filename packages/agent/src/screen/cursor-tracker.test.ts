import { controlMessageSchema } from '@fernhilfe/protocol';
import { describe, expect, it } from 'vitest';
import { cursorShapeMessage } from './cursor-tracker.js';

describe('cursor shape message', () => {
  it('passes the protocol schema and keeps the pixels', () => {
    const rgba = new Uint8Array(3 * 2 * 4).map((_, i) => i);
    const m = cursorShapeMessage({ serial: 1, width: 3, height: 2, hotX: 1, hotY: 1, rgba });
    expect(controlMessageSchema.safeParse(m).success).toBe(true);
    expect(m.type === 'cursor-shape' && [...Buffer.from(m.rgba, 'base64')]).toEqual([...rgba]);
  });
  it('crops a huge cursor to 128x128 and keeps the hotspot inside', () => {
    const m = cursorShapeMessage({ serial: 1, width: 200, height: 150, hotX: 190, hotY: 10, rgba: new Uint8Array(200 * 150 * 4) });
    expect(m).toMatchObject({ width: 128, height: 128, hotX: 127, hotY: 10 });
    expect(controlMessageSchema.safeParse(m).success).toBe(true);
  });
});
