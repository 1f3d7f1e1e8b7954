import './zod-config.js';
import { z } from 'zod';

/** Largest cursor image the agent sends (bigger ones are cropped): 128x128 RGBA. */
export const MAX_CURSOR_SIZE = 128;
const coordinate = z.number().int().min(-32768).max(32767);
const length = z.number().int().min(1).max(32767);

export const monitorInfoSchema = z.strictObject({
  /** stable while the customer's monitor layout is */
  id: z.string().min(1).max(80),
  /** the X11/RandR name ("DP-1"), for the technician's list */
  name: z.string().max(80),
  primary: z.boolean(),
  x: coordinate,
  y: coordinate,
  width: length,
  height: length,
});
export type MonitorInfo = z.infer<typeof monitorInfoSchema>;

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');
const base64Length = (bytes: number): number => 4 * Math.ceil(bytes / 3);

/**
 * Control messages for the native agent's screen: monitors, cursor shape and position (agent ->
 * viewer) and the technician's monitor choice (viewer -> agent). The cursor is drawn by the viewer
 * over the video, so a moving pointer costs a few bytes instead of video frames.
 */
export const screenMessages = [
  /** The customer's monitors and which one the video shows (on start and whenever either changes). */
  z.strictObject({
    type: z.literal('screen-monitors'),
    monitors: z.array(monitorInfoSchema).min(1).max(16),
    selected: z.string().min(1).max(80),
  }),
  /** The technician wants to see another monitor. */
  z.strictObject({ type: z.literal('screen-select-monitor'), id: z.string().min(1).max(80) }),
  /** The pointer's shape: straight-alpha RGBA, row by row, base64; `hotX/hotY` is the pixel that points. */
  z
    .strictObject({
      type: z.literal('cursor-shape'),
      width: z.number().int().min(1).max(MAX_CURSOR_SIZE),
      height: z.number().int().min(1).max(MAX_CURSOR_SIZE),
      hotX: z.number().int().min(0).max(MAX_CURSOR_SIZE - 1),
      hotY: z.number().int().min(0).max(MAX_CURSOR_SIZE - 1),
      rgba: base64.max(base64Length(MAX_CURSOR_SIZE * MAX_CURSOR_SIZE * 4)),
    })
    .refine((m) => m.rgba.length === base64Length(m.width * m.height * 4), { message: 'cursor image size does not match', path: ['rgba'] }),
  /** Where the pointer is, in pixels of the shown monitor; `visible: false` when it is on another one. */
  z.strictObject({ type: z.literal('cursor-position'), x: coordinate, y: coordinate, visible: z.boolean() }),
] as const satisfies readonly z.ZodObject[];
