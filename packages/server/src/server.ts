import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import proxyAddr from '@fastify/proxy-addr';
import Fastify, { type FastifyInstance } from 'fastify';
import { AgentDownloads, registerAgentDownloadRoutes } from './agent-download/index.js';
import { prepareProgramSource, ProgramBuilds, registerProgramRoutes } from './agent-build/index.js';
import { openRecords } from './audit/setup.js';
import { scrubFreedSpace, ServerKeys } from './keys/server-keys.js';
import { AccountService, registerAuthRoutes } from './auth/index.js';
import { AccountAdmin } from './auth/account-admin.js';
import { LiveSessions, registerLiveSessionRoutes } from './live/index.js';
import { CaseService, registerCaseRoutes } from './cases/index.js';
import { CaseAdmission } from './rendezvous/case-admission.js';
import { BrandingStore, registerBrandingRoutes } from './branding/index.js';
import type { Config } from './config.js';
import { registerApps } from './http/apps.js';
import { IceServerIssuer, RelayMeter } from './p2p/index.js';
import { registerPublicRoutes } from './http/routes.js';
import { registerSecurityHeaders } from './http/security.js';
import { createLogger, getLogger, type Logger } from './logger.js';
import { setupSingleSignOn } from './oidc/index.js';
import { Cluster } from './cluster/index.js';
import { drainNode } from './cluster/drain.js';
import { serveMetrics, ServerMetrics, type MetricsEndpoint } from './metrics/index.js';
import { attachWebSockets } from './relay/websocket.js';
import { Broker } from './rendezvous/broker.js';
import { ConnectLimits } from './rendezvous/limits.js';
import { RegisterLimits } from './rendezvous/register-limits.js';
import { createDatabase, migrateToLatest, SettingsRepo, type Database } from './storage/index.js';
import { setupRecordings } from './recordings/index.js';
import type { Terms } from './terms/terms.js';

/** One registered HTTP route, as Fastify's onRoute hook saw it. */
export interface RouteInfo {
  method: string;
  url: string;
}

export interface RunningServer {
  /** http(s)://host:port */
  url: string;
  port: number;
  app: FastifyInstance;
  accounts: AccountService;
  /** account administration (what the console's #/accounts and the CLI do) */
  accountAdmin: AccountAdmin;
  /** running sessions on every node */
  live: LiveSessions;
  /** support cases and the queue (docs/cases.md) */
  cases: CaseService;
  database: Database;
  broker: Broker;
  branding: BrandingStore;
  log: Logger;
  /** Every HTTP route registered, collected as it was added (for tests that must see them all). */
  routes: readonly RouteInfo[];
  /** the terms customers accept now */
  terms(): Terms;
  /** set when there were no users at start: the one-time link to create the first admin */
  setupUrl: string | undefined;
  /** what the relay forwarded between endpoints of active sessions (PEER frames; docs/p2p.md) */
  relayMeter: RelayMeter;
  /** the Prometheus series and where they are served (METRICS_PORT / METRICS_TOKEN); undefined when off (docs/metrics.md) */
  metrics: { series: ServerMetrics; endpoint: MetricsEndpoint } | undefined;
  /** the QuickSupport programs: the first-start build and what is offered (agent-build/) */
  programs: ProgramBuilds;
  /**
   * Before a planned stop (SIGTERM): readiness 503, no new WebSockets, every session that can move
   * handed to another node (at most DRAIN_TIMEOUT_MS). Call close() afterwards.
   */
  drain(): Promise<void>;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  terms?: Terms;
}

/** How often each node looks for connected technicians whose account was disabled elsewhere (the CLI). */
const DISABLED_CHECK_MS = 2000;

const PUBLIC_DIR = fileURLToPath(new URL('../public', import.meta.url));

/** Starts everything on one port: HTTP API, static pages, and the two WebSocket endpoints. */
export async function startServer(config: Config, opts: StartOptions = {}): Promise<RunningServer> {
  const log = opts.logger ?? createLogger(config.logLevel);
  const database = await createDatabase({
    dataDir: config.dataDir,
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
    onConnectionLost: (err) => log.warn({ reason: err.message }, 'a pooled PostgreSQL connection was lost; the next query opens a new one'),
  });
  await migrateToLatest(database.db);
  const metrics = config.metrics ? new ServerMetrics(config.metrics.node) : undefined;
  // several nodes (REDIS_URL): shared IDs, limits, tickets and sessions (cluster/, docs/deployment.md)
  const cluster = config.cluster ? await Cluster.start({ ...config.cluster, resumeGraceMs: config.resumeGraceMs, log }) : undefined;
  // the keys outside the database: receipts, audit heads, TOTP secrets (keys/server-keys.ts)
  const keys = await ServerKeys.open(config.serverKey, database, getLogger(log, 'keys'));
  const accounts = new AccountService({ db: database.db, logger: getLogger(log, 'accounts'), totpBox: keys.totpBox, passwordCost: config.passwordCost, ...(cluster ? { tickets: cluster.tickets } : {}) });
  if ((await accounts.twoFactor.encryptStoredSecrets()) > 0) await scrubFreedSpace(database, 'users');
  if (config.passwordCost < 17) log.warn({ passwordCost: config.passwordCost }, 'PASSWORD_COST is below 17: passwords are hashed more cheaply than they should be (for test servers only)');
  // terms, audit log, the broker's recorder, receipts and retention (audit/setup.ts)
  const records = await openRecords({
    database,
    logger: getLogger(log, 'records'),
    retentionDays: config.retentionDays,
    keys,
    headFile: path.join(config.dataDir, 'audit-heads.jsonl'),
    ...(metrics ? { auditWritten: (ok: boolean) => metrics.auditWritten(ok) } : {}),
    ...(opts.terms ? { seedTerms: opts.terms } : {}),
  });

  const trust = compileTrust(config.trustProxy);
  const app = Fastify({
    loggerInstance: getLogger(log, 'http'),
    trustProxy: trust,
    bodyLimit: 64 * 1024,
    ...(config.tls ? { https: { cert: config.tls.cert, key: config.tls.key } } : {}),
  }) as unknown as FastifyInstance;
  const routes: RouteInfo[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
  // https to the people using it: TLS here, or TLS at the proxy in front (an https PUBLIC_URL)
  const servedOverHttps = Boolean(config.tls) || config.publicUrl?.startsWith('https:') === true;
  await registerSecurityHeaders(app, servedOverHttps);

  const limits = cluster ? cluster.limits({ backoffBaseMs: config.backoffBaseMs }) : new ConnectLimits({ backoffBaseMs: config.backoffBaseMs });
  const relayMeter = new RelayMeter();
  const ice = config.p2p ? new IceServerIssuer(config.p2p) : undefined;
  // support cases and the queue (issue 19, docs/cases.md)
  const cases = new CaseService({ db: database.db, audit: records.audit, log: getLogger(log, 'cases'), ttlMs: config.caseTtlMs });
  const broker = new Broker({
    termsVersion: () => records.terms.current().version,
    limits,
    recorder: records.recorder,
    log: getLogger(log, 'broker'),
    pairingTimeoutMs: config.pairingTimeoutMs,
    resumeGraceMs: config.resumeGraceMs,
    ...(cluster ? { cluster, resumeStore: cluster.sessions } : {}),
    p2p: { iceServers: (id, role) => ice?.forSession(id, role), relayed: (bytes, from) => (relayMeter.count(bytes), metrics?.relayed(bytes, from)) },
    files: config.files,
    registerTimeoutMs: config.abuse.registerTimeoutMs,
    registerLimits: new RegisterLimits({ perAddress: config.abuse.registrationsPerMinute }),
    reportsPerSession: config.abuse.reportsPerSession,
    ...(metrics ? { metrics } : {}),
    cases: new CaseAdmission(cases, limits),
  });
  metrics?.watch(broker);

  cluster?.serve(broker);
  // SIGTERM: readiness 503, no new WebSockets, sessions handed to other nodes (cluster/drain.ts)
  const draining = { now: false };
  registerPublicRoutes(app, { terms: () => records.terms.current(), ready: () => !draining.now, recording: config.recording.policy });
  // the operator's key and builds, or (none configured) the server's own, built at the first start (agent-build/)
  const programSource = prepareProgramSource(config, getLogger(log, 'agent-build'));
  const agentDownload = new AgentDownloads({ dir: programSource.agentDir, publicKey: programSource.publicKey, builtHere: programSource.mode.kind === 'auto', releases: new SettingsRepo({ db: database.db }), log: getLogger(log, 'agent-download') });
  await agentDownload.load();
  const programs = new ProgramBuilds({ ...programSource, dir: programSource.agentDir, downloads: agentDownload, authenticodeCa: config.authenticodeCa, log: getLogger(log, 'agent-build') });
  registerAgentDownloadRoutes(app, agentDownload);
  const branding = new BrandingStore({ settings: new SettingsRepo({ db: database.db }), logger: getLogger(log, 'branding') });
  // the admins' live view and account administration (issue 18, docs/accounts.md)
  const live = new LiveSessions({ broker, nodeId: cluster?.nodeId ?? 'local', admin: cluster?.admin, audit: records.audit, log: getLogger(log, 'live') });
  const accountAdmin = new AccountAdmin({ db: database.db, dialect: database.dialect, accounts, audit: records.audit, logger: getLogger(log, 'account-admin'), endSessionsOf: (userId) => live.endTechnician(userId) });
  const guards = await registerAuthRoutes(app, {
    accounts,
    accountAdmin,
    publicUrl: config.publicUrl,
    secureCookies: servedOverHttps,
    totpIssuer: async () => (await branding.get()).companyName,
    ...(cluster ? { limiter: cluster.signInLimiter() } : {}),
    ...(metrics ? { metrics } : {}),
    localAccounts: config.localAccounts,
  });
  const sso = await setupSingleSignOn({ app, db: database.db, log: getLogger(log, 'sso'), oidc: config.oidc, localAccounts: config.localAccounts, accounts, audit: records.audit, secureCookies: servedOverHttps, passwordCost: config.passwordCost });
  await registerBrandingRoutes(app, { store: branding, requireAdmin: guards.requireAdmin });
  registerProgramRoutes(app, { builds: programs, requireAdmin: guards.requireAdmin });
  await records.registerRoutes(app, { guards, branding, serverUrl: () => config.publicUrl ?? url });
  await registerLiveSessionRoutes(app, { live, requireAdmin: guards.requireAdmin });
  const caseFeed = await registerCaseRoutes(app, { cases, guards });
  const recordings = await setupRecordings({ app, db: database.db, dataDir: config.dataDir, audit: records.audit, config: config.recording, guards, retentionDays: config.retentionDays, log: getLogger(log, 'recordings') });
  await app.register(fastifyStatic, { root: PUBLIC_DIR, prefix: '/', index: false, wildcard: false });
  app.get('/setup', (_req, reply) => reply.sendFile('setup.html'));
  await registerApps(app);
  const metricsEndpoint = config.metrics && metrics ? await serveMetrics(app, config.metrics, metrics, getLogger(log, 'metrics')) : undefined;

  const sockets = attachWebSockets(app.server, {
    broker,
    log: getLogger(log, 'ws'),
    clientIp: (req: IncomingMessage) => proxyAddr(req, trust),
    technicianForTicket: async (ticket) => {
      const user = await accounts.consumeWsTicket(ticket);
      return user ? { userId: user.id, displayName: user.displayName, company: user.company } : undefined;
    },
    maxConnectionsPerIp: config.maxConnectionsPerIp,
    maxConnections: config.abuse.maxConnections,
    publicUrl: config.publicUrl,
    keepaliveMs: config.keepaliveMs,
    ...(metrics ? { metrics } : {}),
    accepting: () => !draining.now,
  });

  const sweeper = setInterval(() => {
    broker.sweep();
    accounts.pruneExpired().catch((err: unknown) => log.error({ err }, 'pruning expired sign-in sessions failed'));
    sso.pruneExpired().catch((err: unknown) => log.error({ err }, 'pruning abandoned single sign-ons failed'));
    cases.expireDue().catch((err: unknown) => log.error({ err }, 'expiring support cases failed'));
  }, 60_000);
  sweeper.unref();
  // an account disabled by the CLI (the database only): its connections here end within DISABLED_CHECK_MS
  const disabledCheck = setInterval(() => {
    live
      .endDisabled(async (ids) => (await database.db.selectFrom('users').select('id').where('id', 'in', ids).where('disabled_at', 'is not', null).execute()).map((r) => r.id))
      .catch((err: unknown) => log.error({ err }, 'checking for disabled accounts failed'));
  }, DISABLED_CHECK_MS);
  disabledCheck.unref();

  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `${config.tls ? 'https' : 'http'}://${hostForUrl}:${port}`;

  // built into the programs: PUBLIC_URL, else this address when it is this machine's (the program takes http only to loopback)
  programs.start({ serverUrl: config.publicUrl ?? (isLoopbackHost(config.host) ? url : undefined), company: async () => (await branding.get()).companyName });

  let setupUrl: string | undefined;
  // with LOCAL_ACCOUNTS=off there is no password admin to set up: admins come from the provider's role claim
  if (config.localAccounts && (await accounts.countUsers()) === 0) {
    const token = await accounts.createSetupToken();
    setupUrl = `${config.publicUrl ?? url}/setup#token=${token}`;
  }

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      clearInterval(sweeper);
      await programs.close();
      clearInterval(disabledCheck);
      broker.closeAll();
      caseFeed.close();
      sockets.close();
      await cluster?.close();
      await app.close();
      await recordings.close();
      await metricsEndpoint?.close();
      await records.close();
      await database.close();
    })());
  const drain = () => (draining.now = true, drainNode({ broker, cluster, timeoutMs: config.drainTimeoutMs, log: getLogger(log, 'drain') }));
  return { drain, url, port, app, accounts, accountAdmin, live, cases, database, broker, branding, log, routes, terms: () => records.terms.current(), setupUrl, relayMeter, programs, metrics: metrics && metricsEndpoint ? { series: metrics, endpoint: metricsEndpoint } : undefined, close, [Symbol.asyncDispose]: close };
}

function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function compileTrust(trustProxy: Config['trustProxy']): (addr: string, i: number) => boolean {
  if (trustProxy === true) return () => true;
  if (trustProxy === false) return () => false;
  if (typeof trustProxy === 'number') return (_addr, i) => i < trustProxy;
  return proxyAddr.compile(trustProxy);
}
