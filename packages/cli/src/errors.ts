import { FernhilfeError } from '@fernhilfe/protocol';

/** Why a command could not do its work; main.ts prints the message as it is (`fernhilfe: …`). */
export type CommandFailure = 'usage' | 'no-password' | 'unreadable' | 'exists' | 'not-audit-head' | 'user' | 'selftest';

export class CommandError extends FernhilfeError<CommandFailure> {
  override readonly name = 'CommandError';
}
