import type { Endpoint } from '../relay/endpoint.js';
import type { Logger } from '../logger.js';

/**
 * The connection of a side whose session was adopted from another node before that side came back:
 * closed, sends nothing. The live pairing replaces it when the side resumes (cluster/, adoption).
 */
export function goneEndpoint(log: Logger): Endpoint {
  return {
    ip: '',
    log,
    isOpen: false,
    paused: false,
    attach: () => undefined,
    sendControl: () => undefined,
    sendPeer: () => undefined,
    throttle: () => undefined,
    pauseWhile: () => undefined,
    close: () => undefined,
    reject: () => undefined,
  };
}
