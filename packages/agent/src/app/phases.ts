import type { AgentPhase, ViewState } from '@fernhilfe/protocol';

/**
 * The agent's session lifecycle, the same machine as the QuickSupport page's (docs/agent.md):
 *
 *   loading -> terms -> registering -> waiting <-> pairing -> active -> ended
 *      |  ^               |    ^         \_____________\________________/^
 *      v  |               v    |
 *   load-failed       register-failed
 */
const transitions = {
  loading: ['terms', 'load-failed', 'ended'],
  'load-failed': ['loading', 'ended'],
  terms: ['registering', 'loading', 'ended'],
  registering: ['waiting', 'register-failed', 'loading', 'ended'],
  'register-failed': ['registering', 'loading', 'ended'],
  waiting: ['pairing', 'ended'],
  pairing: ['pairing', 'waiting', 'active', 'ended'],
  active: ['ended'],
  ended: [],
} as const satisfies Record<AgentPhase, readonly AgentPhase[]>;

export function canMove(from: AgentPhase, to: AgentPhase): boolean {
  return (transitions[from] as readonly AgentPhase[]).includes(to);
}

export class TransitionError extends Error {
  override readonly name = 'TransitionError';
  constructor(
    readonly from: AgentPhase,
    readonly to: AgentPhase,
  ) {
    super(`impossible transition ${from} -> ${to}`);
  }
}

export const initialViewState: ViewState = {
  phase: 'loading',
  termsOutdated: false,
  failures: 0,
  attemptsInRound: 0,
  rotated: false,
  chat: [],
  screenShared: false,
  consent: { available: [], granted: { control: false, clipboard: false }, pending: [] },
};

/** Phases in which the customer has an ID (and End means "end the registration or the session"). */
export const isRegistered = (phase: AgentPhase): boolean => phase === 'waiting' || phase === 'pairing' || phase === 'active';
