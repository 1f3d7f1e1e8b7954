import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CustomerEndpoint, TechnicianEndpoint } from '@fernhilfe/client';
import { ApiClient } from '@fernhilfe/protocol';
import { createLogger, formatKeyFile, loadConfig, startServer, type RunningServer } from '@fernhilfe/server';
import { CLI, startProcess, type Started } from '../support/processes.js';
import { startPostgres, startRedis, type PostgresServer, type RedisServer } from '@fernhilfe/testkit';
import { TECH_LOGIN, TECH_PASSWORD, nodeTransport } from '../support/server.js';

/**
 * Several real server nodes on one real redis-server and one real PostgreSQL (the production setup:
 * all nodes share the accounts and the audit records; SQLite files cannot be shared between
 * processes on different machines, so a cluster runs on PostgreSQL). Nodes run in this process
 * (`startNode`) or as a child process (`startNodeProcess`) that a test can SIGKILL.
 */
export interface ClusterEnv {
  redis: RedisServer;
  pg: PostgresServer;
  databaseUrl: string;
  /** SERVER_KEY: the one server key file every node of the shared database needs (docs/audit.md, "Keys") */
  serverKey: string;
  termsVersion: string | undefined;
  close(): Promise<void>;
}

/** A node is declared dead this long after its last heartbeat (fast, for tests). */
export const NODE_TTL_MS = 1500;

export async function startClusterEnv(): Promise<ClusterEnv> {
  const redis = await startRedis();
  // a PostgreSQL that cannot start must not leave the redis-server behind (it kept a failed run from ending)
  const pg = await startPostgres({ database: 'fernhilfe_cluster' }).catch(async (error: unknown) => {
    await redis.stop();
    throw error;
  });
  return {
    redis,
    pg,
    databaseUrl: pg.url,
    serverKey: formatKeyFile({ master: randomBytes(32), receiptSeed: randomBytes(32) }),
    termsVersion: undefined,
    close: async () => {
      await redis.stop();
      await pg.stop();
    },
  };
}

export interface ClusterNode {
  name: string;
  url: string;
  wsUrl: string;
  logText(): string;
  api(): Promise<ApiClient>;
  customer(): Promise<CustomerEndpoint>;
  /**
   * A technician whose ticket comes from `ticketFrom` (default: this node) and whose WebSocket goes to
   * this node, or through `via` (a proxy's ws:// base); reconnects after a drop go to `reconnectTo()`.
   */
  technician(opts?: TechnicianOpts): Promise<TechnicianEndpoint>;
  close(): Promise<void>;
}

export interface TechnicianOpts {
  ticketFrom?: ClusterNode;
  api?: ApiClient;
  via?: string;
  reconnectTo?: () => ClusterNode;
  /** no reconnect URL: this side sends no resume key, so its session cannot resume or move */
  noResume?: boolean;
}

function nodeEnv(env: ClusterEnv, name: string, dataDir: string, extra: Record<string, string>): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DATABASE_URL: env.databaseUrl,
    SERVER_KEY: env.serverKey,
    REDIS_URL: env.redis.url,
    NODE_ID: name,
    CLUSTER_NODE_TTL_MS: String(NODE_TTL_MS),
    BACKOFF_BASE_MS: '50',
    PASSWORD_COST: '12',
    AGENT_AUTOBUILD: 'off',
    MAX_CONNECTIONS_PER_IP: '5000',
    REGISTRATIONS_PER_MINUTE: '100000',
    LOG_LEVEL: 'debug',
    ...extra,
  };
}

export function clientsFor(name: string, url: string, termsVersion: () => Promise<string>): Omit<ClusterNode, 'logText' | 'close'> {
  const wsUrl = url.replace(/^http/, 'ws');
  const api = async () => {
    const a = new ApiClient(url);
    await a.login(TECH_LOGIN, TECH_PASSWORD);
    return a;
  };
  const node: Omit<ClusterNode, 'logText' | 'close'> = {
    name,
    url,
    wsUrl,
    api,
    customer: async () =>
      CustomerEndpoint.open({ url: `${wsUrl}/ws/customer`, transport: nodeTransport, termsVersion: await termsVersion(), language: 'de', capabilities: ['screen', 'chat'] }),
    technician: async (o = {}) => {
      const a = o.api ?? (await (o.ticketFrom ?? node).api());
      const withTicket = async (base: string) => {
        const ticketUrl = await a.technicianUrl();
        return base + ticketUrl.slice(ticketUrl.indexOf('/ws/'));
      };
      const reconnectUrl = () => withTicket(o.reconnectTo ? o.reconnectTo().wsUrl : (o.via ?? wsUrl));
      return TechnicianEndpoint.open({ url: await withTicket(o.via ?? wsUrl), ...(o.noResume ? {} : { reconnectUrl }), transport: nodeTransport });
    },
  };
  return node;
}

export const termsOf = (url: string) => async () => {
  const res = await fetch(`${url}/api/terms`);
  return ((await res.json()) as { version: string }).version;
};

/** A node in this process. The first one also creates the technician account (the database is shared). */
export async function startNode(env: ClusterEnv, name: string, opts: { createUser?: boolean; env?: Record<string, string> } = {}): Promise<ClusterNode & { server: RunningServer }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `fernhilfe-${name}-`));
  const lines: string[] = [];
  const logger = createLogger('debug', { write: (line: string) => void lines.push(line) });
  const server = await startServer(loadConfig(nodeEnv(env, name, dataDir, opts.env ?? {})), { logger });
  if (opts.createUser) {
    await server.accounts.createUser({ login: TECH_LOGIN, password: TECH_PASSWORD, role: 'technician', displayName: 'Max Mustermann', company: 'Beispiel GmbH' });
  }
  return {
    ...clientsFor(name, server.url, termsOf(server.url)),
    server,
    logText: () => lines.join(''),
    close: async () => {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A node as its own process (`fernhilfe start`; run buildOnce() first), so that a test can kill it. */
export async function startNodeProcess(env: ClusterEnv, name: string, extra: Record<string, string> = {}): Promise<ClusterNode & { process: Started; kill(): Promise<void> }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `fernhilfe-${name}-`));
  const started = startProcess({ file: process.execPath }, [CLI, 'start'], nodeEnv(env, name, dataDir, { LOG_LEVEL: 'info', ...extra }));
  const [, url] = await started.waitFor(/Fernhilfe is running at (http:\/\/\S+)/, 60_000);
  const kill = async () => {
    if (started.child.exitCode !== null || started.child.signalCode !== null) return;
    const exited = new Promise((resolve) => started.child.once('exit', resolve));
    process.kill(-started.child.pid!, 'SIGKILL');
    await exited;
  };
  return {
    ...clientsFor(name, url!, termsOf(url!)),
    process: started,
    kill,
    logText: () => started.output(),
    close: async () => {
      if (started.child.exitCode === null && started.child.signalCode === null) await started.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
