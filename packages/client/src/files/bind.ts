import type { SecureSession } from '../secure-session.js';
import { FileTransfers } from './transfers.js';
import type { FileTransferOptions } from './types.js';

/**
 * A FileTransfers for `session`: its control messages and chunks go in, its reports go to the server,
 * the server's file policy (sent with the pairing) applies unless `opts.policy` overrides it,
 * and a session end fails every running transfer (nothing partial is left). Returns the manager and a
 * function that unhooks it.
 */
export function bindFileTransfers(session: SecureSession, opts: Omit<FileTransferOptions, 'port' | 'role'> = {}): { files: FileTransfers; off: () => void } {
  const policy = opts.policy ?? session.filePolicy;
  const files = new FileTransfers({
    ...opts,
    ...(policy ? { policy } : {}),
    role: session.role,
    port: {
      sendControl: (m) => session.sendControl(m),
      sendData: (c, b) => session.sendData(c, b),
      report: (r) => session.report(r),
    },
  });
  const offs = [
    session.on('control', (m) => void files.handleControl(m)),
    session.on('data', ({ channel, bytes }) => files.handleData(channel, bytes)),
    session.on('ended', () => files.handleEnded()),
  ];
  return { files, off: () => offs.forEach((off) => off()) };
}
