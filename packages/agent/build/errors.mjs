// @ts-check
import { readFileSync } from 'node:fs';
import * as esbuild from 'esbuild';

/**
 * The one error base lives in packages/protocol/src/base-error.ts. Like the signature format in
 * sign.mjs, it is compiled here on the fly, so building the agent does not depend on the rest of
 * the TypeScript being built.
 * @type {typeof import('../../protocol/src/base-error.js')}
 */
const base = await import(
  `data:text/javascript;base64,${Buffer.from(
    esbuild.transformSync(readFileSync(new URL('../../protocol/src/base-error.ts', import.meta.url), 'utf8'), { loader: 'ts', format: 'esm', target: 'node20' }).code,
  ).toString('base64')}`
);

/**
 * Why the QuickSupport program could not be built; the message says what to do.
 * @typedef {'page-not-built' | 'unknown-content-type' | 'bundle-needs-files' | 'old-node' | 'postject-failed' | 'unreadable-key' | 'signature-check-failed' | 'unknown-target' | 'encoder-build-failed' | 'encoder-source-mismatch'} BuildFailure
 * @extends {base.FernhilfeError<BuildFailure>}
 */
export class AgentBuildError extends base.FernhilfeError {
  name = 'AgentBuildError';
}
