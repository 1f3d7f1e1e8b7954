import { CommandError } from './errors.js';

/** Reads the first line of a stream (a password piped on stdin), without its line ending. */
export async function readPassword(input: NodeJS.ReadableStream): Promise<string> {
  let data = '';
  for await (const chunk of input) {
    data += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    if (data.includes('\n')) break;
  }
  const line = data.split(/\r?\n/)[0] ?? '';
  if (!line) throw new CommandError('no-password', 'no password on standard input');
  return line;
}
