import type { Logger } from '../logger.js';
import type { Cluster } from './cluster.js';

export interface DrainDeps {
  broker: { releaseSessions(): Promise<string[]> };
  cluster: Cluster | undefined;
  /** DRAIN_TIMEOUT_MS: the longest the node waits for its sessions to move */
  timeoutMs: number;
  log: Logger;
  /** how often the node looks whether its sessions moved */
  pollMs?: number;
}

/**
 * A planned stop (SIGTERM) of one node of several (docs/deployment.md, "Sessions that survive a
 * node"). The caller has already made the node unready (readiness 503, WebSocket upgrades 503).
 *
 *   1. every session whose both sides can resume is let go in Redis and its connections are closed
 *      with "service restart" (1012): both ends resume, through the balancer, on another node, which
 *      checks their proofs against the keys in Redis and adopts the session;
 *   2. every connection this node forwards to another home is closed the same way;
 *   3. the node waits until each session it let go has a new home, or `timeoutMs`; then the caller
 *      stops it (close(): what did not move ends with `server-shutdown` as before).
 *
 * With one node there is nowhere to go: nothing to do, the stop ends the sessions as before.
 */
export async function drainNode(deps: DrainDeps): Promise<void> {
  const { cluster, log } = deps;
  if (!cluster) return;
  cluster.draining = true;
  const started = Date.now();
  const released = await deps.broker.releaseSessions();
  const forwarded = cluster.closeForwarded();
  log.info({ sessions: released.length, forwarded }, 'draining: sessions let go, forwarded connections closed');
  let waiting = released;
  while (waiting.length > 0 && Date.now() - started < deps.timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, deps.pollMs ?? 100));
    waiting = await cluster.stillHere(waiting).catch(() => waiting);
  }
  if (waiting.length > 0) log.warn({ sessions: waiting.length, timeoutMs: deps.timeoutMs }, 'draining: sessions did not move in time');
  else log.info({ sessions: released.length, ms: Date.now() - started }, 'draining: every session moved');
}
