import type { IceServersMessage, Role } from '@fernhilfe/protocol';
import type { SessionP2p } from './index.js';

export interface IceRenewal {
  stop(): void;
}

/** Whether the message carries TURN credentials (which expire); STUN-only needs no renewal. */
const hasCredentials = (msg: IceServersMessage) => msg.iceServers.some((s) => s.username !== undefined);

/**
 * Keeps an active session's TURN credentials fresh: every half of their lifetime, each side that is
 * attached gets a new `ice-servers` with credentials valid for another TURN_TTL_S, so a credential
 * stays short-lived (a leaked one dies soon) while a long session can still open a new relay
 * allocation (a later upgrade attempt, an ICE restart). Stopped when the session ends.
 */
export function renewIceServers(
  first: IceServersMessage,
  endpointOf: (role: Role) => { sendControl(msg: IceServersMessage): void } | undefined,
  customerId: string,
  p2p: Pick<SessionP2p, 'iceServers'>,
): IceRenewal | undefined {
  if (!hasCredentials(first) || first.ttlS <= 0) return undefined;
  const timer = setInterval(() => {
    for (const role of ['customer', 'technician'] as const) {
      const endpoint = endpointOf(role);
      const msg = endpoint ? p2p.iceServers(customerId, role) : undefined;
      if (endpoint && msg) endpoint.sendControl(msg);
    }
  }, Math.max(1000, (first.ttlS * 1000) / 2));
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
