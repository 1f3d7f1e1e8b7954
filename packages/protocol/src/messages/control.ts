import './zod-config.js';
import { z } from 'zod';
import { fileMessages } from './files.js';
import { p2pMessages } from './p2p.js';
import { panelMessages } from './panel.js';
import { remoteControlMessages } from './remote-control.js';
import { screenMessages } from './screen.js';
import { recordingMessages } from './recording.js';

/** Messages of the session itself: liveness, chat, the browser screen share, the end. */
const sessionMessages = [
  z.strictObject({ type: z.literal('ping'), id: z.number().int().nonnegative(), t: z.number() }),
  z.strictObject({ type: z.literal('pong'), id: z.number().int().nonnegative(), t: z.number() }),
  z.strictObject({ type: z.literal('chat'), text: z.string().min(1).max(4000) }),
  /** Screen sharing: the decoder configuration for the frames that follow (sender -> viewer). */
  z.strictObject({
    type: z.literal('video-config'),
    /** WebCodecs codec string, e.g. "avc1.42E01F" (H.264, Annex B) or "vp8" */
    codec: z.string().regex(/^(avc1\.[0-9A-Fa-f]{6}|vp8|vp09\.[0-9.]+|av01\.[0-9A-Za-z.]+)$/),
    width: z.number().int().min(1).max(16384),
    height: z.number().int().min(1).max(16384),
  }),
  /** The viewer drew frame `frameId` (viewer -> sender); drives flow control and the latency figure. */
  z.strictObject({ type: z.literal('video-ack'), frameId: z.number().int().nonnegative().max(0xffffffff) }),
  /**
   * What the sender's rate control decided (sender -> viewer), at most about once a second and when it
   * changes: the bitrate it aims at now, the limit it measured the path to carry, the frame rate
   * and the picture's scale (1 full size, 0.5 half the width and height). For the quality indicator.
   */
  z.strictObject({
    type: z.literal('video-rate'),
    bitrateKbps: z.number().int().min(0).max(1_000_000),
    limitKbps: z.number().int().min(0).max(1_000_000),
    fps: z.number().min(0).max(240),
    scale: z.number().gt(0).max(1),
  }),
  /** The viewer needs a keyframe (start, decoder error, lost frames). */
  z.strictObject({ type: z.literal('keyframe-request') }),
  /** Screen sharing stopped (by the customer, or the capture ended). */
  z.strictObject({ type: z.literal('video-stop') }),
  /** The sender ends the session; sent inside the channel so the peer knows the end is genuine. */
  /** `reason`: an end the peer must show as such (the customer refused a recording the operator requires) */
  z.strictObject({ type: z.literal('bye'), reason: z.enum(['recording-refused']).optional() }),
] as const;

/**
 * End-to-end control messages (logical channel CONTROL inside the encrypted channel). The server
 * never sees these. Each feature keeps its messages in its own file (screen.ts, remote-control.ts,
 * files.ts, p2p.ts) as a tuple of strict object schemas tagged by `type`.
 */
export const controlMessageSchema = z.discriminatedUnion('type', [
  ...sessionMessages,
  ...screenMessages,
  ...remoteControlMessages,
  ...fileMessages,
  ...p2pMessages,
  ...panelMessages,
  ...recordingMessages,
]);
export type ControlMessage = z.infer<typeof controlMessageSchema>;

/** Logical channels multiplexed in the encrypted stream: first plaintext byte of every sealed frame. */
export const LogicalChannel = {
  control: 0,
  video: 1,
  input: 2,
  files: 3,
  clipboard: 4,
  data: 5, // generic binary stream (tests, selftest, benchmarks)
} as const;
export type LogicalChannel = (typeof LogicalChannel)[keyof typeof LogicalChannel];
export const isLogicalChannel = (n: number): n is LogicalChannel => n >= 0 && n <= 5;
