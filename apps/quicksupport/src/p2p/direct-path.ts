import { startDirectUpgrade, type SecureSession, type SessionPath } from '@fernhilfe/client';

/**
 * The peer-to-peer upgrade on the customer's page (docs/p2p.md): the browser's own WebRTC answers
 * the technician's offers; the same encrypted session moves onto the data channel when one opens
 * and back to the server when it breaks. Without WebRTC the session stays relayed.
 */
export function startBrowserDirectPath(session: SecureSession, onPath: (path: SessionPath) => void): void {
  const upgrade = startDirectUpgrade(session, { PeerConnection: typeof RTCPeerConnection === 'function' ? RTCPeerConnection : undefined });
  upgrade.on('path', ({ path }) => onPath(path));
}
