import { startDirectUpgrade, type DirectUpgrade, type SecureSession, type SessionPath } from '@fernhilfe/client';
import { within } from '../support/resume-kit.js';
import { NodePeerConnection } from './stream.js';

export { NodePeerConnection, chunk, receiver, sendStream } from './stream.js';

/** Runs the upgrade on a session and records every path it showed. */
export function upgrade(session: SecureSession, opts: { openTimeoutMs?: number; retryDelaysMs?: number[] } = {}) {
  const up: DirectUpgrade = startDirectUpgrade(session, { PeerConnection: NodePeerConnection, retryDelaysMs: [], ...opts });
  const paths: SessionPath[] = [up.path];
  up.on('path', ({ path }) => paths.push(path));
  const reached = (path: SessionPath, ms: number) =>
    up.path === path ? Promise.resolve() : within(new Promise<void>((resolve) => up.on('path', (p) => p.path === path && resolve())), ms, `path ${path}`);
  return { up, paths, reached };
}
