import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Actor } from '../audit/events.js';
import type { AuditLog } from '../audit/log.js';
import { HttpProblem } from '../audit/http.js';
import type { RecordingsTable, Schema } from '../storage/schema.js';
import type { RecordingConfig } from './config.js';
import { RECORDING_MAX_CHUNKS, type RecordingFiles } from './store.js';

export type StoppedBy = 'technician' | 'customer' | 'session-end';

export interface RecordingView {
  id: string;
  sessionId: string;
  customerId: string;
  technicianUserId: string;
  technicianName: string;
  startedAt: number;
  stoppedAt: number | null;
  stoppedBy: string | null;
  size: number | null;
  sha256: string | null;
}

/**
 * Session recordings on the server (docs/recording.md): who may start one (the technician of a
 * running, authenticated session, when the policy allows it), the chunks, the finish with size and
 * SHA-256 of the ciphertext in the audit trail (and so in the customer's receipt), the admins' list,
 * and retention. Only ciphertext ever arrives here.
 */
export class Recordings {
  constructor(
    private readonly deps: { db: Kysely<Schema>; files: RecordingFiles; audit: AuditLog; config: RecordingConfig; log: Logger; now?: () => number },
  ) {}

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  async start(userId: string, customerId: string): Promise<{ id: string }> {
    if (this.deps.config.policy === 'off') throw new HttpProblem(403, 'forbidden', 'Recording is switched off on this server (RECORDING=off).');
    const session = await this.deps.db
      .selectFrom('support_sessions')
      .select(['id'])
      .where('customer_id', '=', customerId)
      .where('technician_user_id', '=', userId)
      .where('authenticated_at', 'is not', null)
      .where('ended_at', 'is', null)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    if (!session) throw new HttpProblem(403, 'forbidden', 'You are not connected to a running session with this customer ID.');
    const id = randomUUID();
    const startedAt = this.now();
    await this.deps.db.insertInto('recordings').values({ id, session_id: session.id, customer_id: customerId, technician_user_id: userId, started_at: startedAt, stopped_at: null, stopped_by: null, size: null, sha256: null }).execute();
    await this.deps.audit.append({ sessionId: session.id, event: 'recording-started', actor: `technician:${userId}`, data: { recordingId: id } });
    this.deps.log.info({ recordingId: id, sessionId: session.id }, 'recording started');
    return { id };
  }

  private async own(userId: string, id: string): Promise<RecordingsTable> {
    const row = await this.deps.db.selectFrom('recordings').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || row.technician_user_id !== userId) throw HttpProblem.notFound('A recording of yours with this id');
    return row;
  }

  async chunk(userId: string, id: string, index: number, bytes: Uint8Array): Promise<void> {
    const row = await this.own(userId, id);
    if (row.stopped_at !== null) throw new HttpProblem(409, 'conflict', 'This recording is finished; no more chunks are taken.');
    if (index >= RECORDING_MAX_CHUNKS) throw new HttpProblem(413, 'too-large', `A recording has at most ${RECORDING_MAX_CHUNKS} chunks.`);
    await this.deps.files.writeChunk(id, index, bytes);
  }

  async finish(userId: string, id: string, chunks: number, stoppedBy: StoppedBy): Promise<{ size: number; sha256: string }> {
    const row = await this.own(userId, id);
    if (row.stopped_at !== null && row.size !== null && row.sha256 !== null) return { size: Number(row.size), sha256: row.sha256 }; // a repeated finish
    const done = await this.deps.files.assemble(id, chunks);
    if (!done) throw new HttpProblem(409, 'conflict', `Not every one of the ${chunks} chunks has arrived; send the missing ones and finish again.`);
    const stoppedAt = this.now();
    await this.deps.db.updateTable('recordings').set({ stopped_at: stoppedAt, stopped_by: stoppedBy, size: done.size, sha256: done.sha256 }).where('id', '=', id).execute();
    await this.deps.audit.append({
      sessionId: row.session_id,
      event: 'recording-stopped',
      actor: `technician:${userId}`,
      data: { recordingId: id, stoppedBy, size: done.size, sha256: done.sha256, durationMs: stoppedAt - Number(row.started_at) },
    });
    this.deps.log.info({ recordingId: id, size: done.size }, 'recording stored');
    return done;
  }

  async list(): Promise<RecordingView[]> {
    const rows = await this.deps.db
      .selectFrom('recordings')
      .leftJoin('users', 'users.id', 'recordings.technician_user_id')
      .selectAll('recordings')
      .select('users.display_name')
      .orderBy('started_at', 'desc')
      .limit(1000)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      sessionId: r.session_id,
      customerId: r.customer_id,
      technicianUserId: r.technician_user_id,
      technicianName: r.display_name ?? '',
      startedAt: Number(r.started_at),
      stoppedAt: r.stopped_at === null ? null : Number(r.stopped_at),
      stoppedBy: r.stopped_by,
      size: r.size === null ? null : Number(r.size),
      sha256: r.sha256,
    }));
  }

  /** A finished recording's file for an admin's download. */
  async download(id: string): Promise<{ stream: NodeJS.ReadableStream; name: string; size: number }> {
    const row = await this.deps.db.selectFrom('recordings').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || row.size === null || !(await this.deps.files.exists(id))) throw HttpProblem.notFound('A finished recording with this id');
    const day = new Date(Number(row.started_at)).toISOString().slice(0, 19).replace(/[:T]/g, '-');
    return { stream: this.deps.files.read(id), name: `recording-${row.customer_id}-${day}.fhrec`, size: Number(row.size) };
  }

  /** An admin deletes a recording (file and row), audited as `recording-deleted` on its session. */
  async remove(id: string, actor: Actor): Promise<void> {
    const row = await this.deps.db.selectFrom('recordings').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw HttpProblem.notFound('A recording with this id');
    await this.deps.files.remove(id);
    await this.deps.db.deleteFrom('recordings').where('id', '=', id).execute();
    await this.deps.audit.append({ sessionId: row.session_id, event: 'recording-deleted', actor, data: { recordingId: id, size: row.size === null ? null : Number(row.size), sha256: row.sha256 } });
    this.deps.log.info({ recordingId: id }, 'recording deleted');
  }

  /** RETENTION_DAYS: recordings started before the cutoff go, each with a `recording-deleted` entry. */
  async prune(days: number, actor: Actor = 'server'): Promise<number> {
    if (days <= 0) return 0;
    const cutoff = this.now() - days * 86_400_000;
    const old = await this.deps.db.selectFrom('recordings').select(['id', 'size', 'sha256']).where('started_at', '<', cutoff).execute();
    for (const r of old) {
      await this.deps.files.remove(r.id);
      await this.deps.db.deleteFrom('recordings').where('id', '=', r.id).execute();
      await this.deps.audit.append({ sessionId: null, event: 'recording-deleted', actor, data: { recordingId: r.id, size: r.size === null ? null : Number(r.size), sha256: r.sha256, retentionDays: days } });
    }
    if (old.length > 0) this.deps.log.info({ deleted: old.length, days }, 'retention: old recordings deleted');
    return old.length;
  }
}
