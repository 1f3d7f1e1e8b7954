import { ApiClient } from '@fernhilfe/protocol';

/**
 * The console's one client of the server's HTTP API (@fernhilfe/protocol's ApiClient): sign-in,
 * settings, reports and the audit log share it, and with it the CSRF token.
 */
export const api = new ApiClient(location.origin);
