import { startDirectUpgrade, type DirectUpgrade, type PeerConnectionClass, type SecureSession } from '@fernhilfe/client';

export interface DirectPathLog {
  info(obj: object, msg: string): void;
}

let loaded: Promise<(() => PeerConnectionClass) | undefined> | undefined;

/**
 * What makes werift's RTCPeerConnection behind the browser's interface (werift-peer.ts; one class
 * per session), or undefined if it does not load. Pure JavaScript, so the same stack runs from the checkout and inside the
 * single-file programs (Linux and Windows); loaded once, on first use, so that a session without a
 * technician's offer never pays for it at start.
 */
export function loadNodeWebRtc(): Promise<(() => PeerConnectionClass) | undefined> {
  return (loaded ??= import('./werift-peer.js').then(
    (mod) => mod.weriftPeerConnection,
    () => undefined,
  ));
}

/**
 * The native agent's side of the peer-to-peer upgrade (docs/p2p.md): it answers the technician's
 * offers and the session moves onto a direct data channel (or one through TURN) when one opens;
 * if the stack cannot load the agent tells the technician `unsupported` and the session stays
 * relayed. Call once per session.
 */
export async function startAgentDirectPath(session: SecureSession, log: DirectPathLog): Promise<DirectUpgrade> {
  const PeerConnection = (await loadNodeWebRtc())?.();
  log.info({ webrtc: Boolean(PeerConnection) }, PeerConnection ? 'direct connections possible (werift)' : 'WebRTC did not load: the session stays relayed');
  const upgrade = startDirectUpgrade(session, { PeerConnection });
  upgrade.on('path', ({ path }) => log.info({ path }, 'session path'));
  return upgrade;
}
