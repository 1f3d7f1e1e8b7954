import { FernhilfeError, type FlowPhase } from '@fernhilfe/protocol';

/**
 * The customer's journey, the one table (docs/customer-flow.md draws it):
 *
 *   loading -> terms -> registering -> waiting <-> pairing -> active -> ended
 *      |  ^               |    ^         \_____________\________________/^
 *      v  |               v    |
 *   load-failed       register-failed          (and from any phase: ended, when the customer leaves)
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
} as const satisfies Record<FlowPhase, readonly FlowPhase[]>;

export function canMove(from: FlowPhase, to: FlowPhase): boolean {
  return (transitions[from] as readonly FlowPhase[]).includes(to);
}

/** Phases in which the customer has an ID (and End means "end the registration or the session"). */
export const isRegistered = (phase: FlowPhase): boolean => phase === 'waiting' || phase === 'pairing' || phase === 'active';

/** Reasons for TransitionError: the flow was asked for a move its table does not have (a bug). */
export type TransitionFailure = 'impossible-transition';

export class TransitionError extends FernhilfeError<TransitionFailure> {
  override readonly name = 'TransitionError';
  constructor(
    readonly from: FlowPhase,
    readonly to: FlowPhase,
  ) {
    super('impossible-transition', `impossible transition ${from} -> ${to}`);
  }
}
