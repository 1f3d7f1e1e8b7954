import type { IceServersMessage, Role } from '@fernhilfe/protocol';

export { IceServerIssuer, isTurnUrl, turnCredential, type IceConfig } from './turn-credentials.js';
export { RelayMeter } from './relay-meter.js';

/** What an active session on the server needs for the peer-to-peer upgrade (docs/p2p.md). */
export interface SessionP2p {
  /** the ICE servers for one side, sent with `resume-ready`; undefined when P2P is off */
  iceServers(customerId: string, role: Role): IceServersMessage | undefined;
  /** the relay forwarded `bytes` of one PEER frame that `from` sent */
  relayed(bytes: number, from: Role): void;
}
