import type { ServerError } from '@fernhilfe/protocol';
import { CloseCode, type Endpoint } from '../relay/endpoint.js';

/** Tells a connection why a message was refused; a message that breaks the protocol also closes it. */
export function refuse(endpoint: Endpoint, code: Extract<ServerError['code'], 'bad-message' | 'already-registered' | 'terms-outdated' | 'resume-refused'>, message: string): void {
  endpoint.sendControl({ type: 'error', code, message });
  if (code === 'bad-message' || code === 'resume-refused') endpoint.close(CloseCode.policy, message);
}
