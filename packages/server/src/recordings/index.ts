import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { AuditLog } from '../audit/log.js';
import type { AuthGuards } from '../auth/guards.js';
import type { Schema } from '../storage/schema.js';
import type { RecordingConfig } from './config.js';
import { Recordings } from './recordings.js';
import { registerRecordingRoutes } from './routes.js';
import { RecordingFiles } from './store.js';

export { parseRecordingConfig, recordingEnvShape, type RecordingConfig } from './config.js';
export { Recordings } from './recordings.js';

/** Sets up recordings: files under DATA_DIR/recordings, the routes, retention every hour. */
export async function setupRecordings(opts: {
  app: FastifyInstance;
  db: Kysely<Schema>;
  dataDir: string;
  audit: AuditLog;
  config: RecordingConfig;
  guards: AuthGuards;
  retentionDays: number;
  log: Logger;
}): Promise<{ recordings: Recordings; close(): Promise<void> }> {
  const files = new RecordingFiles(path.join(opts.dataDir, 'recordings'));
  await files.init();
  const recordings = new Recordings({ db: opts.db, files, audit: opts.audit, config: opts.config, log: opts.log });
  await registerRecordingRoutes(opts.app, { recordings, config: opts.config, guards: opts.guards, retentionDays: opts.retentionDays });
  let running: Promise<unknown> = Promise.resolve();
  const prune = () => {
    running = running.then(() => recordings.prune(opts.retentionDays)).catch((err: unknown) => opts.log.error({ err }, 'recording retention failed'));
  };
  const timer = setInterval(prune, 3_600_000);
  timer.unref();
  prune();
  return {
    recordings,
    close: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
