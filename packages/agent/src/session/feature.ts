import type { ControlMessage, LogicalChannel, SessionReport } from '@fernhilfe/protocol';

/** The part of a SecureSession a feature may use. What comes in arrives through the handle*() methods. */
export interface SessionPort {
  sendControl(message: ControlMessage): Promise<void>;
  sendData(channel: LogicalChannel, bytes: Uint8Array): Promise<void>;
  /** a consent or transfer for the session's audit trail on the server (metadata only) */
  report?(report: SessionReport): void;
}

/**
 * One capability of the agent (screen, input, clipboard, files). The session wiring (session/wiring.ts)
 * starts every feature when the encrypted session opens, hands each incoming control message and data
 * frame to every feature (a feature ignores what is not its own), and stops them all at the end.
 * A feature never reaches back into the session object.
 */
export interface AgentFeature {
  readonly name: string;
  start(port: SessionPort): Promise<void>;
  handleControl?(message: ControlMessage): void;
  handleData?(channel: LogicalChannel, bytes: Uint8Array): void;
  /** must release everything (held keys, X connections, child processes) and never throw */
  stop(): Promise<void>;
}
