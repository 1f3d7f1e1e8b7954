import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * Structured logs (pino, JSON lines). Secrets never reach a log line: nothing that logs takes a
 * password, key or token, and these paths are redacted as a second line of defence.
 */
const redact = {
  paths: [
    'password', '*.password', 'token', '*.token', 'ticket', '*.ticket', 'csrfToken', '*.csrfToken',
    'req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]',
  ],
  censor: '[redacted]',
};

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, redact, base: { app: 'fernhilfe' } }, destination);
}

/** A named child logger: `getLogger(root, 'relay')` puts `component: "relay"` on every line. */
export function getLogger(root: Logger, component: string, context: Record<string, unknown> = {}): Logger {
  return root.child({ component, ...context });
}

export type { Logger };
