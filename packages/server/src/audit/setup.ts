import type { FastifyInstance } from 'fastify';
import type { SignedHead } from '@fernhilfe/protocol';
import type { Logger } from 'pino';
import type { AuthGuards } from '../auth/guards.js';
import { registerLogoRoutes } from '../branding/logo-routes.js';
import { LogoStore } from '../branding/logo.js';
import type { BrandingStore } from '../branding/store.js';
import type { ServerKeys } from '../keys/server-keys.js';
import { ReceiptKeys } from '../receipts/keys.js';
import { ReceiptService } from '../receipts/receipt.js';
import { registerReceiptRoutes } from '../receipts/routes.js';
import { registerReportRoutes } from '../reports/routes.js';
import type { SessionRecorder } from '../rendezvous/broker.js';
import type { Database } from '../storage/database.js';
import { SettingsRepo } from '../storage/settings.js';
import { SupportSessionRepo } from '../storage/support-sessions.js';
import { registerTermsRoutes } from '../terms/routes.js';
import { TermsStore } from '../terms/store.js';
import type { Terms } from '../terms/terms.js';
import { scheduleHeadSigning } from './head.js';
import { AuditLog } from './log.js';
import { auditRecorder } from './recorder.js';
import { scheduleRetention } from './retention.js';
import { registerAuditRoutes } from './routes.js';
import { auditDb, type AuditDb } from './schema.js';

/** Everything the operator's record needs: terms, audit log, recorder for the broker, receipts, retention. */
export interface Records {
  db: AuditDb;
  audit: AuditLog;
  terms: TermsStore;
  recorder: SessionRecorder;
  receiptKeys: ReceiptKeys;
  /** signs the chain's head now (and appends it to the head file) */
  signHead(): Promise<SignedHead>;
  /** runs the retention job once now (tests, `fernhilfe`); undefined with RETENTION_DAYS=0 */
  runRetention(): ReturnType<ReturnType<typeof scheduleRetention>['runNow']>;
  /** adds the HTTP routes (after the auth routes exist) */
  registerRoutes(app: FastifyInstance, deps: { guards: AuthGuards; branding: BrandingStore; serverUrl: () => string }): Promise<void>;
  close(): Promise<void>;
}

export interface RecordsOptions {
  database: Database;
  logger: Logger;
  /** RETENTION_DAYS; 0 keeps everything */
  retentionDays: number;
  /** the first terms of a new database (default: the shipped texts) */
  seedTerms?: Terms;
  /** how often other nodes' terms changes are picked up */
  termsRefreshMs?: number;
  /** the server key file's keys: receipts and audit heads are signed with them */
  keys: ServerKeys;
  /** where signed heads are appended (DATA_DIR/audit-heads.jsonl); undefined = the log only */
  headFile?: string;
  /** how often the head is signed (default hourly) */
  headEveryMs?: number;
  /** told after each audit append, whether it was written (metrics/) */
  auditWritten?: (ok: boolean) => void;
}

export async function openRecords(opts: RecordsOptions): Promise<Records> {
  const { database, logger } = opts;
  const db = auditDb(database.db);
  const settings = new SettingsRepo({ db: database.db });
  const audit = new AuditLog({ db, dialect: database.dialect, logger: logger.child({ name: 'audit' }), ...(opts.auditWritten ? { written: opts.auditWritten } : {}) });
  const terms = await TermsStore.open({ db, settings, logger: logger.child({ name: 'terms' }), ...(opts.seedTerms ? { seed: opts.seedTerms } : {}) });
  const receiptKeys = new ReceiptKeys(opts.keys.receiptKey);
  const heads = scheduleHeadSigning({ db, key: opts.keys.auditHeadKey, file: opts.headFile, logger: logger.child({ name: 'audit-head' }), ...(opts.headEveryMs ? { everyMs: opts.headEveryMs } : {}) });
  const recorder = auditRecorder({ sessions: new SupportSessionRepo({ db: database.db }), audit, db, logger });
  const retention = scheduleRetention({ db, dialect: database.dialect, days: opts.retentionDays, logger: logger.child({ name: 'retention' }) });
  const refresh = setInterval(() => void terms.refresh().catch((err: unknown) => logger.error({ err }, 'reading the current terms failed')), opts.termsRefreshMs ?? 5000);
  refresh.unref();

  return {
    db,
    audit,
    terms,
    recorder,
    receiptKeys,
    signHead: () => heads.signNow(),
    runRetention: () => retention.runNow(),
    registerRoutes: async (app, deps) => {
      const { guards } = deps;
      await registerTermsRoutes(app, { store: terms, audit, requireAdmin: guards.requireAdmin });
      await registerLogoRoutes(app, { store: new LogoStore(settings), audit, requireAdmin: guards.requireAdmin });
      await registerAuditRoutes(app, { db, audit, requireAdmin: guards.requireAdmin, signHead: () => heads.signNow() });
      await registerReportRoutes(app, { db, audit, guards });
      const receipts = new ReceiptService({ db, audit, branding: deps.branding, keys: receiptKeys, get serverUrl() { return deps.serverUrl(); } });
      await registerReceiptRoutes(app, { receipts });
    },
    close: async () => {
      clearInterval(refresh);
      heads.stop();
      await retention.stop();
    },
  };
}
