/**
 * What the customer can allow during a session. The session starts with nothing granted (view-only).
 * Implemented by consent/consent.ts; the agent's UI (ui/) calls allow/refuse/revoke, the features
 * read `granted()` and listen for 'changed'.
 */
export type Grant = 'control' | 'clipboard';
export const grants = ['control', 'clipboard'] as const satisfies readonly Grant[];

export interface ConsentState {
  control: boolean;
  clipboard: boolean;
}

/**
 * Where one grant stands (one state machine per grant, see consent.ts and docs/agent-input.md):
 * none -> requested -> granted -> revoked; requested -> refused; the technician's release -> none.
 */
export type GrantStatus = 'none' | 'requested' | 'granted' | 'refused' | 'revoked';

/** What moves a grant: the technician's request/release, the customer's allow/refuse/revoke, the session's end. */
export type ConsentEvent = 'request' | 'release' | 'allow' | 'refuse' | 'revoke' | 'end';

export interface ConsentEvents extends Record<string, unknown> {
  /** the technician asked for something; the UI shows a prompt */
  requested: { what: Grant };
  /** the technician took the request back before the customer answered; the UI hides the prompt */
  withdrawn: { what: Grant };
  /** the state changed (granted, revoked, refused) */
  changed: ConsentState;
  /** every move of one grant's machine (the consent feature turns these into messages for the technician) */
  transition: { what: Grant; event: ConsentEvent; from: GrantStatus; to: GrantStatus };
}
