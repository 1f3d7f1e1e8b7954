import type { SecureSession } from '@fernhilfe/client';
import type { AgentFeature } from './feature.js';

export interface WiringLog {
  error(obj: object, msg: string): void;
}

/**
 * Connects the agent's features to one encrypted session: starts each, hands every incoming control
 * message and data frame to each, and stops them all when the session ends (or when the returned
 * function is called). A feature that throws is logged and does not disturb the others.
 */
export function runFeatures(session: SecureSession, features: readonly AgentFeature[], log: WiringLog): () => Promise<void> {
  const guarded = (feature: AgentFeature, what: string, fn: () => unknown): void => {
    try {
      const r = fn();
      if (r instanceof Promise) r.catch((err: unknown) => log.error({ err, feature: feature.name }, `${what} failed`));
    } catch (err) {
      log.error({ err, feature: feature.name }, `${what} failed`);
    }
  };
  const offControl = session.on('control', (message) => {
    for (const f of features) if (f.handleControl) guarded(f, 'handling a control message', () => f.handleControl!(message));
  });
  const offData = session.on('data', ({ channel, bytes }) => {
    for (const f of features) if (f.handleData) guarded(f, 'handling data', () => f.handleData!(channel, bytes));
  });
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      offControl();
      offData();
      await Promise.all(features.map((f) => f.stop().catch((err: unknown) => log.error({ err, feature: f.name }, 'stopping failed'))));
    })();
    return stopped;
  };
  session.on('ended', () => void stop());
  const port = { sendControl: session.sendControl.bind(session), sendData: session.sendData.bind(session), report: session.report.bind(session) };
  for (const f of features) guarded(f, 'starting', () => f.start(port));
  return stop;
}
