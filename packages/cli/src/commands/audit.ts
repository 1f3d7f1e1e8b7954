import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CommandError } from '../errors.js';
import { auditDb, checkAuditHead, createDatabase, migrateToLatest, ServerKeys, verifyAuditChain } from '@fernhilfe/server';

export interface AuditVerifyOptions {
  dataDir: string;
  databaseUrl?: string;
  /** a signed head (or a file of them, one per line) kept outside the database */
  head?: string;
  /** the audit head public key (base64url, 32 bytes); default: from the server key file */
  key?: string;
  /** SERVER_KEY_FILE / SERVER_KEY, as the server reads them */
  serverKeyFile?: string;
  serverKey?: string;
  out?: NodeJS.WritableStream;
}

/**
 * `fernhilfe audit verify [--head FILE]`: checks the whole audit chain in the configured database
 * and, with --head, that it still holds each signed head in FILE (so that no entry up to it was
 * rewritten, even consistently). Exit code 0 when intact, 1 when broken, 2 when a head cannot be checked.
 */
export async function auditVerify(opts: AuditVerifyOptions): Promise<number> {
  const out = opts.out ?? process.stdout;
  const heads = opts.head === undefined ? [] : readHeads(opts.head);
  const trusted = opts.head === undefined ? undefined : headKey(opts);
  const database = await createDatabase({ dataDir: opts.dataDir, databaseUrl: opts.databaseUrl });
  try {
    await migrateToLatest(database.db);
    const result = await verifyAuditChain(database.db);
    if (!result.ok) {
      out.write(`audit chain BROKEN at entry ${result.seq} (${result.kind}): ${result.message}\n`);
      return 1;
    }
    const range = result.entries === 0 ? 'no entries' : `${result.entries} entries (${result.firstSeq} to ${result.headSeq})`;
    const anchor = result.anchoredAt === undefined ? '' : `, anchored at entry ${result.anchoredAt} after retention`;
    out.write(`audit chain ok: ${range}${anchor}; head ${result.headHash}\n`);
    let broken = false;
    let unchecked = false;
    for (const [i, head] of heads.entries()) {
      const check = await checkAuditHead(auditDb(database.db), head, trusted!);
      if (check.ok) {
        out.write(`signed head ${i + 1} ok: entries up to ${check.seq} are unchanged\n`);
      } else {
        out.write(`audit chain BROKEN against signed head ${i + 1} (${check.kind}): ${check.message}\n`);
        if (check.kind === 'retention') unchecked = true;
        else broken = true;
      }
    }
    return broken ? 1 : unchecked ? 2 : 0;
  } finally {
    await database.close();
  }
}

function readHeads(file: string): unknown[] {
  const text = readFileSync(file, 'utf8');
  if (text.trim() === '') throw new CommandError('not-audit-head', `${file} holds no signed audit head`);
  try {
    return [JSON.parse(text) as unknown];
  } catch {
    return text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l, i) => {
        try {
          return JSON.parse(l) as unknown;
        } catch {
          throw new CommandError('not-audit-head', `${path.basename(file)} line ${i + 1} is not JSON: not a signed audit head`);
        }
      });
  }
}

function headKey(opts: AuditVerifyOptions): KeyObject {
  if (opts.key) {
    const raw = Buffer.from(opts.key, 'base64url');
    if (raw.length !== 32) throw new CommandError('usage', '--key must be the audit head public key: 32 bytes, base64url');
    return createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]), format: 'der', type: 'spki' });
  }
  const keys = ServerKeys.load({ file: opts.serverKeyFile ?? path.join(opts.dataDir, 'server.key'), text: opts.serverKey }, (m) => void process.stderr.write(`warning: ${m}\n`));
  return keys.auditHeadKey;
}
