import type { EndReason, Terms } from '@fernhilfe/protocol';
import type { SessionEnd } from '@fernhilfe/client';
import type { ShareProblem } from './media/errors.js';

/**
 * What the page shows, as one state machine:
 *
 *   loading -> terms -> registering -> waiting <-> pairing -> active -> ended
 *      |  ^               |    ^         \_____________\________________/^
 *      v  |               v    |
 *   load-failed       register-failed
 */
export type Phase = 'loading' | 'load-failed' | 'terms' | 'registering' | 'register-failed' | 'waiting' | 'pairing' | 'active' | 'ended';

const transitions: Record<Phase, readonly Phase[]> = {
  loading: ['terms', 'load-failed'],
  'load-failed': ['loading'],
  terms: ['registering', 'loading'],
  registering: ['waiting', 'register-failed', 'loading'],
  'register-failed': ['registering', 'loading'],
  waiting: ['pairing', 'ended'],
  pairing: ['pairing', 'waiting', 'active', 'ended'],
  active: ['ended'],
  ended: [],
};

export function canMove(from: Phase, to: Phase): boolean {
  return transitions[from].includes(to);
}

export interface Technician {
  displayName: string;
  company: string;
}

export interface ChatEntry {
  key: number;
  from: 'customer' | 'technician';
  text: string;
  at: number;
}

export type Share = { status: 'off'; problem?: ShareProblem } | { status: 'starting' } | { status: 'on' };

/** Why it ended, as the key of a translated sentence. */
export type EndKey = EndReason | 'ended-before-start';

export interface SessionState {
  phase: Phase;
  terms?: Terms;
  /** the terms changed between reading and accepting */
  termsOutdated: boolean;
  registerProblem?: 'failed' | 'busy';
  id?: string;
  /** the one-time password; gone once used, rotated away, or ended */
  password?: string;
  /** who is connecting now, or who is connected */
  technician?: Technician;
  /** failed attempts in all */
  failures: number;
  /** failed attempts since the last password change (1..5 shown as "n of 5") */
  attemptsInRound: number;
  /** the password was changed after too many wrong attempts */
  rotated: boolean;
  sas?: string;
  chat: ChatEntry[];
  share: Share;
  everShared: boolean;
  registeredAt?: number;
  connectedAt?: number;
  endedAt?: number;
  endKey?: EndKey;
  /** the technician who was connected, for the summary */
  connectedTechnician?: Technician;
  /** a connection dropped during the session and is being restored (it reconnects by itself) */
  reconnecting?: boolean;
  /** the key to this session's signed receipt on the server (/receipt#token=…), if the server gave one */
  /** in agent mode: the receipt's full address on the support server (the page itself is on 127.0.0.1) */
  receiptUrl?: string | undefined;
  receiptToken?: string | undefined;
}

export const initialState: SessionState = {
  phase: 'loading',
  termsOutdated: false,
  failures: 0,
  attemptsInRound: 0,
  rotated: false,
  chat: [],
  share: { status: 'off' },
  everShared: false,
};

/** The sentence for an end: "you ended it" reads differently when nobody had connected yet. */
export function endKey(end: SessionEnd, hadSession: boolean): EndKey {
  if (end.reason === 'ended-by-customer' && !hadSession) return 'ended-before-start';
  return end.reason;
}
