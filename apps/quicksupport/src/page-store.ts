import type { ConsentDecision } from '@fernhilfe/client';
import type { CaseCredentials, CustomerFlowState, GrantName } from '@fernhilfe/protocol';
import type { FilesPort } from './files/page-files.js';

/**
 * What the page's components read and call: the browser's SessionStore (a CustomerFlow in this tab)
 * or, under the native agent, the AgentStore (the agent's CustomerFlow, seen over its local WebSocket).
 * Snapshots for React's useSyncExternalStore; every action is the customer's click.
 */
export interface PageStore {
  subscribe(listener: () => void): () => void;
  getSnapshot(): CustomerFlowState;
  loadTerms(): Promise<void>;
  /** `supportCase`: join that case with this description (the browser page; docs/cases.md) */
  acceptTerms(supportCase?: { credentials: CaseCredentials; description: string }): Promise<void>;
  /** ends the session, or before a technician connected, the registration */
  end(): Promise<void>;
  /** sends a chat message; false when there is nothing to send or no session */
  sendChat(input: string): boolean;
  startSharing(): Promise<void>;
  stopSharing(): void;
  /** the customer's answer to a request for control or the clipboard */
  decide(what: GrantName, decision: ConsentDecision): void;
  /** file transfer both ways, shown by the files card */
  readonly files: FilesPort;
}
