import '../messages/zod-config.js';
import { z } from 'zod';
import { agentPlatformSchema } from './records.js';

/**
 * GET /api/admin/programs (admins): the QuickSupport programs this server offers and, when it builds
 * them itself on the first start (no operator key configured), how far each build is
 * (docs/agent-build.md, "First start").
 */
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const keyId = z.string().regex(/^[0-9a-f]{16}$/);

/** Why a build failed: a program or registry package is missing (the detail names it and how to install it), or anything else. */
export const programFailureSchema = z.strictObject({
  code: z.enum(['missing-program', 'registry', 'failed']),
  /** plain words from the build (English), e.g. "osslsigncode is not installed: install the Debian package osslsigncode …" */
  detail: z.string().max(2000),
});
export type ProgramFailure = z.infer<typeof programFailureSchema>;

export const programBuildSchema = z.strictObject({
  platform: agentPlatformSchema,
  fileName: z.string().max(128),
  /** `waiting`: queued behind another platform; `building`; `ready`: built, verified and offered; `failed`; `operator`: the operator's own build (offered or not) */
  state: z.enum(['waiting', 'building', 'ready', 'failed', 'operator']),
  /** on the QuickSupport page now (its signature verified with the key below) */
  offered: z.boolean(),
  failure: programFailureSchema.nullable(),
  size: z.number().int().nonnegative().nullable(),
  sha256: sha256.nullable(),
  keyId: keyId.nullable(),
  version: z.string().max(32).nullable(),
  /** when it was signed (ISO 8601 UTC) */
  built: z.string().max(32).nullable(),
  /** the server built into the program; null: the customer must start it with --server URL */
  serverUrl: z.string().max(300).nullable(),
  /** Windows: who signed it with Authenticode, in plain words; null on Linux */
  authenticode: z.enum(['server-certificate', 'operator-certificate']).nullable(),
});
export type ProgramBuild = z.infer<typeof programBuildSchema>;

export const adminProgramsReplySchema = z.strictObject({
  /** `auto`: this server builds and signs them with its own key; `operator`: the operator's key and builds (AGENT_PUBLIC_KEY / AGENT_DIR / FERNHILFE_SIGNING_KEY); `off`: AGENT_AUTOBUILD=off */
  mode: z.enum(['auto', 'operator', 'off']),
  /** base64 of the raw 32-byte Ed25519 public key that signs the offered programs */
  publicKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/).nullable(),
  publicKeyPem: z.string().max(400).nullable(),
  keyId: keyId.nullable(),
  builds: z.array(programBuildSchema).max(8),
});
export type AdminPrograms = z.infer<typeof adminProgramsReplySchema>;
