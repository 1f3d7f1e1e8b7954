import { encodeJson } from '@fernhilfe/protocol';
import type { Endpoint } from '../relay/endpoint.js';
import type { Logger } from '../logger.js';
import type { ResumeAttempt, ResumeGate } from '../rendezvous/resume-gate.js';
import type { ClusterPort, HandOffWho } from './directory.js';

export interface ResumeRoutingDeps {
  resumes: ResumeGate;
  cluster: ClusterPort | undefined;
  /** this node holds the session of `id` */
  isLocal(id: string): boolean;
  log: Logger;
}

/**
 * A `resume` for a session this node does not hold goes to the node that does (its connection is
 * handed off, and that node sends the challenge); otherwise this node's ResumeGate answers it, and
 * refuses it as always when nobody holds the session.
 */
export function beginResume(deps: ResumeRoutingDeps, endpoint: Endpoint, m: { type: 'resume'; id: string; role: 'customer' | 'technician' }, who: HandOffWho, technicianUserId?: string): ResumeAttempt {
  const begin = () => deps.resumes.begin(endpoint, m.role, m.id, technicianUserId);
  const cluster = deps.cluster;
  if (!cluster || deps.isLocal(m.id)) return begin();
  let attempt: ResumeAttempt | undefined;
  let cancelled = false;
  cluster.directory.locate(m.id).then(
    (where) => {
      if (cancelled || !endpoint.isOpen) return;
      if (typeof where === 'object') cluster.handOff(endpoint, where.node, who, encodeJson(m));
      else attempt = begin();
    },
    (err: unknown) => {
      deps.log.error({ err }, 'looking up a resumed session failed');
      if (!cancelled && endpoint.isOpen) attempt = begin();
    },
  );
  return {
    // a proof before the challenge was sent: the gate of this node refuses it like any other early proof
    prove: (signature) => (attempt ?? begin()).prove(signature),
    cancel: () => {
      cancelled = true;
      attempt?.cancel();
    },
  };
}
