import { startDirectUpgrade, type DirectUpgrade, type PeerConnectionClass, type SecureSession } from '@fernhilfe/client';

export interface DirectPathLog {
  info(obj: object, msg: string): void;
}

let loaded: Promise<PeerConnectionClass | undefined> | undefined;

/**
 * @roamhq/wrtc's RTCPeerConnection, or undefined when the optional package (a native module) is not
 * installed or does not load on this machine. Imported once, on first use, and never required.
 */
export function loadNodeWebRtc(): Promise<PeerConnectionClass | undefined> {
  const name = '@roamhq/wrtc';
  return (loaded ??= import(/* @vite-ignore */ name).then(
    (mod: { default?: { RTCPeerConnection?: unknown }; RTCPeerConnection?: unknown }) =>
      (mod.default?.RTCPeerConnection ?? mod.RTCPeerConnection) as PeerConnectionClass | undefined,
    () => undefined,
  ));
}

/**
 * The native agent's side of the peer-to-peer upgrade (docs/p2p.md): with @roamhq/wrtc it answers
 * the technician's offers and the session moves onto a direct data channel when one opens; without
 * it the agent tells the technician `unsupported` and the session stays relayed. Call once per session.
 */
export async function startAgentDirectPath(session: SecureSession, log: DirectPathLog): Promise<DirectUpgrade> {
  const PeerConnection = await loadNodeWebRtc();
  log.info({ webrtc: Boolean(PeerConnection) }, PeerConnection ? 'direct connections possible (@roamhq/wrtc)' : 'no @roamhq/wrtc: the session stays relayed');
  const upgrade = startDirectUpgrade(session, { PeerConnection });
  upgrade.on('path', ({ path }) => log.info({ path }, 'session path'));
  return upgrade;
}
