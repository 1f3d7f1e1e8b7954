import { LOGIN_PATTERN } from './accounts.js';

/**
 * How many sign-in attempts are allowed, and per what. Failures are counted in a sliding window:
 * - per login name *and* address (`pair`): 10, then that address must wait until the oldest
 *   leaves the window (429 with Retry-After). Someone guessing from one address cannot lock the
 *   account for anyone signing in from elsewhere.
 * - per address across all logins (`ip`): 30, against one address spraying many accounts.
 * - per login name from all addresses (`login`, soft): after 30, the login is slowed, not locked:
 *   one attempt may start every 2 seconds (the others get 429 with a short Retry-After), so a
 *   guesser with many addresses gets ~450 guesses per 15 minutes while the owner still signs in.
 */
export interface SignInPolicy {
  windowMs: number;
  pairMax: number;
  ipMax: number;
  loginSoftMax: number;
  slowIntervalMs: number;
}

export const SIGN_IN_POLICY: SignInPolicy = {
  windowMs: 15 * 60_000,
  pairMax: 10,
  ipMax: 30,
  loginSoftMax: 30,
  slowIntervalMs: 2000,
};

/** Failed sign-ins one address may make for one login inside the window. */
export const SIGN_IN_MAX_FAILURES = SIGN_IN_POLICY.pairMax;
export const SIGN_IN_WINDOW_MS = SIGN_IN_POLICY.windowMs;

export interface SignInKey {
  kind: 'pair' | 'ip' | 'login';
  /** `pair:<login>|<address>`, `ip:<address>`, `login:<login>` */
  name: string;
  max: number;
  /** at the limit the key slows attempts (one per slowIntervalMs) instead of refusing them */
  soft: boolean;
}

/**
 * The keys an attempt counts against. People type their password into the login field, so text
 * that cannot be a login name (LOGIN_PATTERN) gets no login keys: such a sign-in cannot succeed
 * anyway, and its address still counts.
 */
export function signInKeysFor(attempt: { login: string | undefined; ip: string }, policy: SignInPolicy): SignInKey[] {
  const keys: SignInKey[] = [{ kind: 'ip', name: `ip:${attempt.ip}`, max: policy.ipMax, soft: false }];
  const login = attempt.login?.toLowerCase();
  if (login !== undefined && LOGIN_PATTERN.test(login)) {
    keys.unshift({ kind: 'pair', name: `pair:${login}|${attempt.ip}`, max: policy.pairMax, soft: false });
    keys.push({ kind: 'login', name: `login:${login}`, max: policy.loginSoftMax, soft: true });
  }
  return keys;
}
