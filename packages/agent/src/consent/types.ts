/**
 * What the customer can allow during a session. The session starts with nothing granted (view-only).
 * Implemented by consent/consent.ts; the agent's UI (ui/) calls allow/refuse/revoke, the features
 * read `granted()` and listen for 'changed'.
 */
export type Grant = 'control' | 'clipboard';

export interface ConsentState {
  control: boolean;
  clipboard: boolean;
}

export interface ConsentEvents extends Record<string, unknown> {
  /** the technician asked for something; the UI shows a prompt */
  requested: { what: Grant };
  /** the state changed (granted, revoked, refused) */
  changed: ConsentState;
}
