import { z } from 'zod';

/** GET /api/agent/info: what the server publishes about the signed QuickSupport program. */
export const agentInfoSchema = z.strictObject({
  available: z.boolean(),
  /** base64 of the raw 32-byte Ed25519 public key */
  publicKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/).nullable(),
  publicKeyPem: z.string().max(400).nullable(),
  keyId: z.string().regex(/^[0-9a-f]{16}$/).nullable(),
  fileName: z.string().max(128).nullable(),
  /** the signed release: version and build time (ISO 8601 UTC) */
  version: z.string().max(32).nullable(),
  built: z.string().max(32).nullable(),
  size: z.number().int().nonnegative().nullable(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
  downloadUrl: z.string().max(200).nullable(),
  signatureUrl: z.string().max(200).nullable(),
});

export type AgentInfo = z.infer<typeof agentInfoSchema>;
