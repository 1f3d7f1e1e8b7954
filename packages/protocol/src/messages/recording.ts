import './zod-config.js';
import { z } from 'zod';

/**
 * Recording consent (docs/recording.md). The technician's console records what it shows; the
 * customer allows, refuses or stops it any time. Nothing of the recording itself travels here.
 *
 *   technician -> customer: recording-request (required: the operator's policy RECORDING=required), recording-release
 *   customer -> technician: recording-allowed, recording-refused, recording-revoked
 */
export const recordingMessages = [
  z.strictObject({ type: z.literal('recording-request'), required: z.boolean() }),
  /** The technician stopped recording, or withdrew the request. */
  z.strictObject({ type: z.literal('recording-release') }),
  z.strictObject({ type: z.literal('recording-allowed') }),
  z.strictObject({ type: z.literal('recording-refused') }),
  /** The customer stopped a running recording. */
  z.strictObject({ type: z.literal('recording-revoked') }),
] as const satisfies readonly z.ZodObject[];
