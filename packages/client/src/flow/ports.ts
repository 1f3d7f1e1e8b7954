import type { CaseJoin, ControlMessage, GrantName, ListenerErrorReporter, ShareProblem, Terms } from '@fernhilfe/protocol';
import type { CustomerEndpoint } from '../customer.js';
import type { SecureSession } from '../secure-session.js';

/** The HTTP calls the flow makes, as one object (the typed API client of @fernhilfe/protocol fits it). */
export interface FlowApi {
  terms(): Promise<Terms>;
}

/** Structured log lines (pino's shape); never a secret. */
export interface FlowLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface ConsentPortEvents {
  /** the technician asked for something; the views show a prompt */
  requested: { what: GrantName };
  /** the technician took the request back before the customer answered */
  withdrawn: { what: GrantName };
  changed: { control: boolean; clipboard: boolean };
}

/** The customer's consent manager (the agent's consent/): the three answers and its events. */
export interface ConsentPort {
  granted(): { control: boolean; clipboard: boolean };
  allow(what: GrantName): void;
  refuse(what: GrantName): void;
  revoke(what: GrantName): void;
  on<K extends keyof ConsentPortEvents>(event: K, listener: (value: ConsentPortEvents[K]) => void): () => void;
}

export interface ScreenSenderPortEvents {
  started: unknown;
  stopped: { reason: string };
}

/** Something that shares the screen on the customer's click (the browser's ScreenSender). */
export interface ScreenSenderPort {
  start(): Promise<void>;
  stop(reason?: 'session-ended'): void;
  /** video acknowledgements and keyframe requests from the technician */
  handleControl(message: ControlMessage): void;
  on<K extends keyof ScreenSenderPortEvents>(event: K, listener: (value: ScreenSenderPortEvents[K]) => void): () => void;
}

/** Screen sharing that the customer starts and stops. */
export interface ScreenSource {
  /** why the screen cannot be shared here at all (e.g. 'insecure'), asked before each start */
  unavailable(): ShareProblem | undefined;
  create(): ScreenSenderPort;
  /** the problem to show for what start() threw */
  problemOf(err: unknown): ShareProblem;
}

/** The platform's part of one open session: its features, made when the session opens. */
export interface SessionParts {
  /** the consent manager; absent: every request for control or the clipboard is refused as unsupported */
  consent?: ConsentPort;
  /** what the customer can be asked to grant (a request for anything else is refused as unsupported) */
  grants: readonly GrantName[];
  /** the platform shares the screen itself for the whole session (the native agent) */
  sharesScreen?: boolean;
  /** screen sharing on the customer's click (the browser page) */
  screen?: ScreenSource;
  /** stops the features; the flow awaits it before it shows the end */
  close?(): Promise<void>;
}

/** Registering by joining a support case: what `register` sends, and the case secret as the password. */
export interface CaseRegistration {
  join: CaseJoin;
  password: string;
}

/** Everything from outside the flow, so that it runs against fakes as well as the real server. */
export interface FlowDeps {
  api: FlowApi;
  /** registers for an ID with the accepted terms (CustomerEndpoint.open) */
  register(termsVersion: string, language: 'de' | 'en', join?: CaseRegistration): Promise<CustomerEndpoint>;
  /** starts the platform's features for an open session */
  openSession(session: SecureSession): SessionParts;
  /** the address of the receipt for a receipt token, when the page is not on the server */
  receiptUrl?(token: string): string;
  log?: FlowLog;
  /** where a view's throwing listener is reported (the Emitter's policy; default console.error) */
  onListenerError?: ListenerErrorReporter;
  now?(): number;
}
