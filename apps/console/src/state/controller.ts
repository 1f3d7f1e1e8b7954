import type { SessionEnd, TransportFactory } from '@fernhilfe/client';
import { ApiError, parseCustomerId, type ApiClient, type Branding, type PublicUser, type SignInOptions, type TotpSetup } from '@fernhilfe/protocol';
import { Connector, toConnectError } from '../connect/connector';
import { LiveSession } from '../session/live-session';
import { Store } from './store';

export type AuthState =
  | { status: 'checking' }
  /** `expired`: the server no longer knows our sign-in (say so on the login form) */
  | { status: 'signed-out'; expired: boolean }
  | { status: 'signed-in'; user: PublicUser };

export interface EndedSession {
  customerId: string;
  end: SessionEnd;
}

export interface AppState {
  auth: AuthState;
  /** the running session, if any */
  session: LiveSession | undefined;
  /** how the last session ended, until the technician dismisses it or connects again */
  lastEnd: EndedSession | undefined;
  branding: Branding | undefined;
}

/**
 * The console's actions and state: sign-in (restored after a reload), TOTP enrolment, connecting,
 * and the running session. Components read `store` and call these methods; failures are thrown to
 * the caller, which shows them in plain words.
 */
export class ConsoleController {
  readonly store = new Store<AppState>({ auth: { status: 'checking' }, session: undefined, lastEnd: undefined, branding: undefined });
  private readonly connector: Connector;

  constructor(
    private readonly api: ApiClient,
    transport: TransportFactory,
  ) {
    this.connector = new Connector(api, transport);
  }

  /** At start: load the branding and pick up an existing sign-in (cookie) with its CSRF token. */
  async restore(): Promise<void> {
    void this.api.call('branding').then(
      (branding) => this.store.set({ branding }),
      () => undefined, // no branding: the neutral look
    );
    try {
      await this.api.csrf();
      const user = await this.api.me();
      this.store.set({ auth: { status: 'signed-in', user } });
    } catch {
      this.store.set({ auth: { status: 'signed-out', expired: false } });
    }
  }

  /** What the sign-in form offers: single sign-on, and whether passwords are switched on (docs/sso.md). */
  signInOptions(): Promise<SignInOptions> {
    return this.api.call('signInOptions');
  }

  /** Throws ApiError (e.g. `totp-required`, or reason `network`). */
  async login(login: string, password: string, totp?: string): Promise<void> {
    const user = await this.api.login(login, password, totp);
    this.store.set({ auth: { status: 'signed-in', user }, lastEnd: undefined });
  }

  async logout(): Promise<void> {
    await this.store.get().session?.end().catch(() => undefined);
    this.connector.close();
    await this.api.logout().catch(() => undefined);
    this.store.set({ auth: { status: 'signed-out', expired: false }, session: undefined, lastEnd: undefined });
  }

  totpSetup(): Promise<TotpSetup> {
    return this.guard(this.api.totpSetup());
  }

  async totpEnable(code: string): Promise<void> {
    await this.guard(this.api.totpEnable(code));
    this.updateUser({ totpEnabled: true });
  }

  async totpDisable(code: string): Promise<void> {
    await this.guard(this.api.totpDisable(code));
    this.updateUser({ totpEnabled: false });
  }

  /** Re-reads the account (e.g. after the server said two-factor sign-in is already on or off). */
  async refreshUser(): Promise<void> {
    const user = await this.guard(this.api.me()).catch(() => undefined);
    if (user) this.updateUser(user);
  }

  /** Connects to a customer; throws ConnectError. Losing the sign-in sends the technician to the login form. */
  async connect(idInput: string, password: string): Promise<void> {
    let session;
    try {
      session = await this.connector.connect(idInput, password);
    } catch (err) {
      const error = toConnectError(err);
      if (error.reason === 'not-signed-in') this.expire();
      throw error;
    }
    const customerId = parseCustomerId(idInput) ?? idInput;
    const live = new LiveSession(customerId, session);
    const finish = (end: SessionEnd) => {
      if (this.store.get().session === live) this.store.set({ session: undefined, lastEnd: { customerId, end } });
    };
    live.onEnded(finish);
    this.store.set({ session: live, lastEnd: undefined });
    if (!live.isOpen && session.endInfo) finish(session.endInfo);
  }

  /** Takes a support case (docs/cases.md): the server gives its customer ID, the case secret is the password. */
  async takeCase(caseId: string, secret: string): Promise<void> {
    const { customerId } = await this.guard(this.api.call('takeCase', { params: { id: caseId } }));
    await this.connect(customerId, secret);
  }

  dismissEnded(): void {
    this.store.set({ lastEnd: undefined });
  }

  private updateUser(patch: Partial<PublicUser>): void {
    const auth = this.store.get().auth;
    if (auth.status === 'signed-in') this.store.set({ auth: { status: 'signed-in', user: { ...auth.user, ...patch } } });
  }

  /** A 401 from any call means the sign-in is gone: back to the login form. */
  private async guard<T>(request: Promise<T>): Promise<T> {
    try {
      return await request;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) this.expire();
      throw err;
    }
  }

  private expire(): void {
    this.connector.close();
    this.store.set({ auth: { status: 'signed-out', expired: true } });
  }
}
