import { ConnectError, TechnicianEndpoint, type SecureSession, type TransportFactory } from '@fernhilfe/client';
import { ApiError, type ApiClient } from '@fernhilfe/protocol';

/**
 * Turns "ID + password" into a session. Keeps one server connection (TechnicianEndpoint) open across
 * failed attempts, so the technician can correct a typo and try again; opens a new one, with a fresh
 * single-use WebSocket ticket, when there is none or the previous one was closed (a session uses its
 * connection up). Every failure is a ConnectError with a `reason`.
 */
export class Connector {
  private endpoint: TechnicianEndpoint | undefined;

  constructor(
    private readonly api: ApiClient,
    private readonly transport: TransportFactory,
  ) {}

  async connect(id: string, password: string): Promise<SecureSession> {
    const endpoint = await this.openEndpoint();
    try {
      return await endpoint.connect(id, password);
    } catch (err) {
      throw toConnectError(err);
    } finally {
      // after a session or a dropped connection this endpoint is of no further use
      if (!endpoint.isOpen && this.endpoint === endpoint) this.endpoint = undefined;
    }
  }

  /** Closes the idle server connection, if any (sign-out). A running session is not affected. */
  close(): void {
    const endpoint = this.endpoint;
    this.endpoint = undefined;
    if (endpoint?.isOpen) endpoint.close();
  }

  private async openEndpoint(): Promise<TechnicianEndpoint> {
    if (this.endpoint?.isOpen) return this.endpoint;
    this.endpoint = undefined;
    try {
      const url = await this.api.technicianUrl();
      // a dropped connection during a session is resumed over a new one, which needs a fresh ticket
      this.endpoint = await TechnicianEndpoint.open({ url, transport: this.transport, reconnectUrl: () => this.api.technicianUrl() });
      return this.endpoint;
    } catch (err) {
      throw toConnectError(err);
    }
  }
}

/** The one boundary where anything thrown while connecting becomes a ConnectError. */
export function toConnectError(err: unknown): ConnectError {
  if (err instanceof ConnectError) return err;
  if (err instanceof ApiError) {
    if (err.reason === 'invalid-reply') return new ConnectError('protocol', undefined, err.detail);
    // no session cookie (401) or no valid CSRF token for it (403): the sign-in is gone
    if (err.status === 401 || err.status === 403) return new ConnectError('not-signed-in', undefined, err.code);
    if (err.status === 429) return new ConnectError('rate-limited', (err.retryAfterSeconds ?? 0) * 1000, err.code);
    return new ConnectError('network', undefined, `${err.status} ${err.code}`);
  }
  return new ConnectError('protocol', undefined, err instanceof Error ? err.message : String(err));
}
