export { DirectUpgrade, isP2pSignal, startDirectUpgrade, type DirectUpgradeEvents, type DirectUpgradeOptions, type SessionPath } from './direct-upgrade.js';
export { PeerAttempt, type DirectKind, type P2pSignal, type PeerConnectionClass } from './peer-attempt.js';
export { RouteSwitch, SWITCH_TIMEOUT_MS, type RouteEvents, type RouteVia } from './route-switch.js';
export { dataChannelTransport, DATA_CHANNEL_CHUNK } from './data-channel-transport.js';
