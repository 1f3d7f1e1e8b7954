import type { ListenerErrorReporter } from '@fernhilfe/protocol';
import pino from 'pino';

/** The agent's logger: structured lines on stderr only (it writes no file), never a secret. Quiet by default: the customer's terminal is for the terminal UI. */
export interface Log {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** `file`: write there instead of stderr (the packaged Windows program has no console: app/platform-env.ts) */
export function createLog(level: string = process.env.FERNHILFE_AGENT_LOG ?? 'error', file?: string): Log {
  return pino({ name: 'agent', level, redact: { paths: ['password', '*.password', 'token', '*.token'], censor: '[hidden]' } }, pino.destination(file ? { dest: file, sync: true } : { fd: 2, sync: true }));
}

/** The Emitter's reporter for a listener that throws (packages/protocol/src/emitter.ts): an error line in this log. */
export function listenerErrorsTo(log: Pick<Log, 'error'>): ListenerErrorReporter {
  return (event, err) => log.error({ err, event }, `a listener for "${event}" threw`);
}
