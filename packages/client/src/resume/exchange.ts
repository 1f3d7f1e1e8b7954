import { fromHex, signResumeProof, toHex, type Role } from '@fernhilfe/protocol';
import type { ServerConnection } from '../connection.js';
import type { SessionEnd } from '../errors.js';

export interface ResumeCredentials {
  role: Role;
  customerId: string;
  /** this role's Ed25519 seed, derived from the session's resume secret */
  seed: Uint8Array;
}

export type ResumeResult =
  | { ok: true; path: number; peerConnected: boolean }
  /** `refused`: the server said no (the session is gone): trying again is pointless; `end`: how it ended, if the server said */
  | { ok: false; refused: boolean; detail: string; end?: SessionEnd };

/**
 * One resume on a fresh connection:
 *   -> resume{id, role}   <- resume-challenge{nonce}   -> resume-proof{Ed25519 signature}   <- resumed{path, peer}
 * or `error{resume-refused}`. `done` is called exactly once; on success synchronously from the
 * handler of `resumed`, so that whoever adopts the connection also hears the frames right behind it.
 * On failure the connection is closed.
 */
export function runResumeExchange(conn: ServerConnection, creds: ResumeCredentials, timeoutMs: number, done: (result: ResumeResult) => void): void {
  let settled = false;
  const finish = (result: ResumeResult) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    for (const off of offs) off();
    if (!result.ok) conn.close('resume failed');
    done(result);
  };
  const timer = setTimeout(() => finish({ ok: false, refused: false, detail: 'the server did not answer the resume' }), timeoutMs);
  const offs = [
    conn.on('invalid-control', (error) => finish({ ok: false, refused: false, detail: error.message })),
    conn.on('control', (m) => {
      switch (m.type) {
        case 'resume-challenge': {
          const signature = signResumeProof(creds.seed, creds.role, creds.customerId, fromHex(m.nonce));
          conn.sendControl({ type: 'resume-proof', signature: toHex(signature) });
          return;
        }
        case 'resumed':
          return finish({ ok: true, path: m.path, peerConnected: m.peer === 'connected' });
        case 'error':
          return finish({ ok: false, refused: m.code === 'resume-refused', detail: m.message });
        case 'ended':
          // the session ended while this side was away (the server says so only after a valid proof)
          return finish({ ok: false, refused: true, detail: `the session ended (${m.reason})`, end: { reason: m.reason, by: m.by } });
        default:
          return; // nothing else belongs here; the timeout ends a server that never answers
      }
    }),
    conn.on('closed', (info) => finish({ ok: false, refused: false, detail: `closed: ${info.reason}` })),
  ];
  conn.sendControl({ type: 'resume', id: creds.customerId, role: creds.role });
}
