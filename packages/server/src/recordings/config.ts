import { decodeRecordingKey } from '@fernhilfe/protocol';
import { z } from 'zod';

export type RecordingPolicy = 'off' | 'allowed' | 'required';

/** RECORDING and RECORDING_PUBLIC_KEY (docs/recording.md, docs/configuration.md). */
export const recordingEnvShape = {
  /** off: no recording; allowed: the technician may ask; required: asked at the start, refusing ends the session */
  RECORDING: z.enum(['off', 'allowed', 'required'], { error: 'must be off, allowed or required' }).default('off'),
  /** the operator's X25519 public key (`fernhilfe recording keygen`), 43 characters of base64url */
  RECORDING_PUBLIC_KEY: z.string().optional(),
};

export interface RecordingConfig {
  policy: RecordingPolicy;
  /** base64url; undefined only when the policy is off */
  publicKey: string | undefined;
}

/** The recording settings, or the plain reason they are not valid. */
export function parseRecordingConfig(e: { RECORDING: RecordingPolicy; RECORDING_PUBLIC_KEY?: string | undefined }): RecordingConfig | string {
  if (e.RECORDING === 'off') return { policy: 'off', publicKey: undefined };
  const key = e.RECORDING_PUBLIC_KEY?.trim();
  if (!key) return `RECORDING=${e.RECORDING} needs RECORDING_PUBLIC_KEY (make one with: npx fernhilfe recording keygen)`;
  try {
    decodeRecordingKey(key);
  } catch {
    return 'RECORDING_PUBLIC_KEY: must be the public key printed by `fernhilfe recording keygen` (43 characters of base64url)';
  }
  return { policy: e.RECORDING, publicKey: key };
}
