import { randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { FernhilfeError } from '@fernhilfe/protocol';
import { z } from 'zod';
import { parsePublicKey } from './agent-download/signature.js';
import { parseRecordingConfig, recordingEnvShape, type RecordingConfig } from './recordings/config.js';
import { oidcEnvShape, parseOidcConfig, type OidcConfig } from './oidc/config.js';

/**
 * Server configuration from environment variables, validated at start. Every variable is documented
 * in docs/configuration.md; a bad value stops the start with a message that names it.
 */
const bool = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no'])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const envSchema = z.object({
  PORT: int(0, 65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL (leave it unset for SQLite in DATA_DIR)')
    .optional(),
  TLS_CERT: z.string().min(1).optional(),
  TLS_KEY: z.string().min(1).optional(),
  TRUST_PROXY: z.string().optional(),
  ALLOW_INSECURE: bool.default(false),
  /** the address people use, e.g. https://support.example.com: links, and `Secure` cookies + HSTS when https */
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL such as https://support.example.com' })
    .refine((v) => {
      const u = URL.parse(v);
      return u === null || u.username === '' && u.password === '' && u.search === '' && u.hash === '' && (u.pathname === '/' || u.pathname === '');
    }, 'must be only the scheme, host and port (no path, query, fragment or user), e.g. https://support.example.com')
    .transform((v) => URL.parse(v)?.origin ?? v)
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** first back-off step after a failed attempt on an ID; doubles with each failure */
  BACKOFF_BASE_MS: int(0, 600_000).default(1000),
  /** how long a technician has to finish the handshake */
  PAIRING_TIMEOUT_MS: int(1000, 600_000).default(30_000),
  MAX_CONNECTIONS_PER_IP: int(1, 1_000_000).default(200),
  /** WebSocket connections the whole server holds at most; more are closed with a plain reason (docs/configuration.md) */
  MAX_CONNECTIONS: int(1, 10_000_000).default(20_000),
  /** a customer connection must send `register` (or `resume`) within this many ms */
  REGISTER_TIMEOUT_MS: int(100, 600_000).default(30_000),
  /** registrations per minute from one address; an IPv6 /64 gets four times as many in all */
  REGISTRATIONS_PER_MINUTE: int(1, 1_000_000).default(30),
  /** audit reports one endpoint may send in one session; more are refused */
  REPORTS_PER_SESSION: int(1, 1_000_000).default(2000),
  /** how long an active session waits for an endpoint whose connection dropped to resume */
  RESUME_GRACE_MS: int(100, 600_000).default(30_000),
  /** SIGTERM: how long a node waits for its sessions to move to another node before it stops (docs/deployment.md) */
  DRAIN_TIMEOUT_MS: int(0, 600_000).default(8_000),
  /** the server pings every connection this often and drops one that did not answer the last ping */
  KEEPALIVE_MS: int(100, 600_000).default(20_000),
  /** sessions and audit entries older than this many days are deleted (docs/audit.md); 0 keeps everything */
  RETENTION_DAYS: int(0, 36_500).default(365),
  /** scrypt's cost (log2 N) for password hashes; 17 by default; lower values are for test servers only */
  PASSWORD_COST: int(12, 20).default(17),
  /** peer-to-peer upgrade (docs/p2p.md): off = every session stays relayed through this server */
  P2P: bool.default(true),
  /** comma-separated stun:/turn:/turns: URLs handed to the endpoints for the upgrade */
  TURN_URLS: z.string().default(''),
  /** coturn's static-auth-secret (use-auth-secret): signs the short-lived TURN credentials */
  TURN_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** how long a TURN credential stays valid, in seconds; renewed every half of it while a session lasts */
  TURN_TTL_S: int(5, 86400).default(600),
  /** directory with the signed QuickSupport agent build (`npm run build:agent`); empty = no download */
  AGENT_DIR: z.string().default('./dist/agent'),
  /** the operator's Ed25519 public key (base64, hex or PEM, or a path to a PEM file) the agent build must verify with */
  AGENT_PUBLIC_KEY: z.string().min(1).optional(),
  /** build and sign the QuickSupport programs at the first start when no operator key is configured (agent-build/) */
  AGENT_AUTOBUILD: z.enum(['on', 'off', '1', '0'], { error: 'must be on or off' }).default('on'),
  /** a PEM file with the CA of the Authenticode certificate the Windows program is signed with, published at /download/authenticode-ca.pem */
  AUTHENTICODE_CA_FILE: z.string().min(1).optional(),
  /** the server key file (receipt and audit head signing, TOTP encryption; docs/audit.md "Keys"); default DATA_DIR/server.key */
  SERVER_KEY_FILE: z.string().min(1).optional(),
  /** the key file's text itself (from a secret store); wins over SERVER_KEY_FILE */
  SERVER_KEY: z.string().min(1).optional(),
  /** several nodes share IDs, limits and sessions through this Redis (docs/deployment.md); unset = one node */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL (leave it unset for a single node)')
    .optional(),
  /** this node's name in the cluster (logs, Redis keys); default: random per start */
  NODE_ID: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, . _ - (at most 64)').optional(),
  /** a node that has not renewed its liveness key for this long is dead: its sessions end */
  CLUSTER_NODE_TTL_MS: int(1000, 600_000).default(10_000),
  /** largest file the endpoints may transfer, in bytes (docs/files.md); 0 = no file transfer */
  FILES_MAX_BYTES: int(0, Number.MAX_SAFE_INTEGER).default(10 * 1024 ** 3),
  /** which way files may go: both | to-customer | to-technician | none */
  FILES_DIRECTIONS: z.enum(['both', 'to-customer', 'to-technician', 'none']).default('both'),
  /** Prometheus metrics on their own port (docs/metrics.md); unset = not on a port of their own */
  METRICS_PORT: int(0, 65535).optional(),
  /** the address the metrics port listens on */
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** a bearer token that /metrics requires (on the public port, or on METRICS_PORT too when both are set) */
  METRICS_TOKEN: z.string().regex(/^[\x21-\x7e]{24,512}$/, 'must be 24 to 512 printable characters without spaces (e.g. openssl rand -hex 32)').optional(),
  /** single sign-on with OpenID Connect and LOCAL_ACCOUNTS (oidc/config.ts, docs/sso.md) */
  ...oidcEnvShape,
  /** support cases (docs/cases.md): a case nobody took expires after this many hours */
  CASE_TTL_HOURS: int(1, 24 * 365).default(24),
  /** session recording (recordings/config.ts, docs/recording.md) */
  ...recordingEnvShape,
});

export type TrustProxy = boolean | number | string[];

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  tls: { cert: Buffer; key: Buffer } | undefined;
  trustProxy: TrustProxy;
  allowInsecure: boolean;
  publicUrl: string | undefined;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  backoffBaseMs: number;
  pairingTimeoutMs: number;
  maxConnectionsPerIp: number;
  /** abuse limits of the WebSocket endpoints (relay/admission.ts, rendezvous/register-limits.ts) */
  abuse: { maxConnections: number; registerTimeoutMs: number; registrationsPerMinute: number; reportsPerSession: number };
  keepaliveMs: number;
  resumeGraceMs: number;
  /** DRAIN_TIMEOUT_MS */
  drainTimeoutMs: number;
  retentionDays: number;
  passwordCost: number;
  /** undefined: P2P off */
  p2p: { urls: string[]; secret: string | undefined; ttlS: number } | undefined;
  agentDir: string | undefined;
  agentPublicKey: KeyObject | undefined;
  /** the first-start build (agent-build/decide.ts): on unless AGENT_AUTOBUILD=off; what the operator configured decides the rest */
  agentAutobuild: { enabled: boolean; agentDirSet: boolean; signingKeySet: boolean };
  /** AUTHENTICODE_CA_FILE's certificate (PEM), published for `fernhilfe verify --server` (agent-build/routes.ts) */
  authenticodeCa: string | undefined;
  /** where the server's secret keys come from (keys/server-keys.ts) */
  serverKey: { file: string; text: string | undefined };
  /** undefined: one node, everything in memory */
  cluster: { redisUrl: string; nodeId: string; nodeTtlMs: number } | undefined;
  /** the file policy sent to both endpoints (`files` in registered / pairing), which enforce it */
  files: { maxBytes: number; directions: ('to-customer' | 'to-technician')[] };
  /** single sign-on (docs/sso.md); undefined: off */
  oidc: OidcConfig | undefined;
  /** LOCAL_ACCOUNTS: false = password sign-in and the setup link are refused, only single sign-on */
  localAccounts: boolean;
  /** undefined: no /metrics anywhere (docs/metrics.md) */
  metrics: MetricsConfig | undefined;
  /** support cases: how long a case waits before it expires (CASE_TTL_HOURS, docs/cases.md) */
  caseTtlMs: number;
  /** RECORDING and RECORDING_PUBLIC_KEY (docs/recording.md) */
  recording: RecordingConfig;
}

export interface MetricsConfig {
  /** the `node` label of every series: NODE_ID, or "single" on one node without it */
  node: string;
  /** a port of its own (METRICS_PORT); undefined: /metrics on the public port, behind the token */
  listen: { port: number; host: string } | undefined;
  token: string | undefined;
}

/** A setting is not valid, a file it names cannot be read, or it would listen without TLS where that is unsafe. */
export type ConfigFailure = 'invalid' | 'unreadable' | 'insecure';

export class ConfigError extends FernhilfeError<ConfigFailure> {
  override readonly name = 'ConfigError';
}

/** "true"/"false", a hop count, or a comma-separated list of addresses and CIDR ranges. */
function parseTrustProxy(value: string | undefined): TrustProxy {
  if (value === undefined || value === '' || value === 'false' || value === '0') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const entry of entries) {
    const [addr, bits] = entry.split('/');
    if (!addr || !isIP(addr) || (bits !== undefined && !/^\d{1,3}$/.test(bits))) {
      throw new ConfigError('invalid', `TRUST_PROXY: "${entry}" is not an address or CIDR range (or use true, false or a hop count)`);
    }
  }
  return entries;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function readPem(name: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new ConfigError('unreadable', `${name}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { cause: err });
  }
}

/** AGENT_PUBLIC_KEY: the key itself, or a path to a PEM file holding it. */
function readAgentKey(value: string): KeyObject {
  const t = value.trim();
  const isKeyText = t.startsWith('-----BEGIN') || /^[0-9a-fA-F]{64}$/.test(t) || /^[A-Za-z0-9+/]{43}=$/.test(t);
  try {
    return parsePublicKey(isKeyText ? t : readPem('AGENT_PUBLIC_KEY', t).toString('utf8'));
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError('invalid', `AGENT_PUBLIC_KEY: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** A PEM file holding one X.509 certificate (a CA to publish): its text, or a ConfigError saying what is wrong. */
function readCertificate(name: string, file: string): string {
  const pem = readPem(name, file).toString('utf8');
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch (err) {
    throw new ConfigError('invalid', `${name}: ${file} is not a usable PEM certificate: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (!cert.ca) throw new ConfigError('invalid', `${name}: ${file} is not a usable PEM certificate: it is not a CA certificate (basicConstraints CA:TRUE)`);
  return pem;
}

/** TURN_URLS: stun:/stuns:/turn:/turns: URLs; a TURN URL needs TURN_SECRET. */
function parseIceUrls(value: string, secret: string | undefined): string[] {
  const urls = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const url of urls) {
    if (!/^(stun|stuns|turn|turns):[^\s]{1,500}$/.test(url)) throw new ConfigError('invalid', `TURN_URLS: "${url}" is not a stun:, stuns:, turn: or turns: URL`);
    if (/^turns?:/.test(url) && !secret) throw new ConfigError('invalid', 'TURN_URLS: a turn: URL needs TURN_SECRET (coturn static-auth-secret)');
  }
  if (urls.length > 8) throw new ConfigError('invalid', 'TURN_URLS: at most 8 URLs');
  return urls;
}

/** METRICS_PORT and/or METRICS_TOKEN turn /metrics on; without a token the metrics port stays on loopback. */
function metricsConfig(e: z.infer<typeof envSchema>, node: string): MetricsConfig | undefined {
  if (e.METRICS_PORT === undefined && e.METRICS_TOKEN === undefined) return undefined;
  if (e.METRICS_PORT !== undefined && !isLoopback(e.METRICS_HOST) && e.METRICS_TOKEN === undefined) {
    throw new ConfigError('insecure', `METRICS_HOST: metrics on ${e.METRICS_HOST} (not loopback) need METRICS_TOKEN`);
  }
  if (e.METRICS_PORT !== undefined && e.METRICS_PORT !== 0 && e.METRICS_PORT === e.PORT) {
    throw new ConfigError('invalid', 'METRICS_PORT: must differ from PORT (to serve /metrics on the public port, set only METRICS_TOKEN)');
  }
  return {
    node,
    listen: e.METRICS_PORT === undefined ? undefined : { port: e.METRICS_PORT, host: e.METRICS_HOST },
    token: e.METRICS_TOKEN,
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError('invalid', `invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  const recording = parseRecordingConfig(e);
  if (typeof recording === 'string') throw new ConfigError('invalid', recording);
  if (Boolean(e.TLS_CERT) !== Boolean(e.TLS_KEY)) {
    throw new ConfigError('invalid', 'TLS_CERT and TLS_KEY must be set together');
  }
  // one name per start: the cluster's node id and the metrics' `node` label (a single node without NODE_ID: "single")
  const nodeId = e.NODE_ID ?? (e.REDIS_URL ? `node-${randomBytes(4).toString('hex')}` : 'single');
  const tls = e.TLS_CERT && e.TLS_KEY ? { cert: readPem('TLS_CERT', e.TLS_CERT), key: readPem('TLS_KEY', e.TLS_KEY) } : undefined;
  if (!tls && !isLoopback(e.HOST) && !e.ALLOW_INSECURE) {
    throw new ConfigError(
      'insecure',
      `refusing to listen on ${e.HOST} without TLS: set TLS_CERT and TLS_KEY, or ALLOW_INSECURE=1 behind a TLS-terminating reverse proxy`,
    );
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    tls,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    allowInsecure: e.ALLOW_INSECURE,
    publicUrl: e.PUBLIC_URL,
    logLevel: e.LOG_LEVEL,
    backoffBaseMs: e.BACKOFF_BASE_MS,
    pairingTimeoutMs: e.PAIRING_TIMEOUT_MS,
    maxConnectionsPerIp: e.MAX_CONNECTIONS_PER_IP,
    abuse: { maxConnections: e.MAX_CONNECTIONS, registerTimeoutMs: e.REGISTER_TIMEOUT_MS, registrationsPerMinute: e.REGISTRATIONS_PER_MINUTE, reportsPerSession: e.REPORTS_PER_SESSION },
    keepaliveMs: e.KEEPALIVE_MS,
    resumeGraceMs: e.RESUME_GRACE_MS,
    drainTimeoutMs: e.DRAIN_TIMEOUT_MS,
    retentionDays: e.RETENTION_DAYS,
    passwordCost: e.PASSWORD_COST,
    p2p: e.P2P ? { urls: parseIceUrls(e.TURN_URLS, e.TURN_SECRET), secret: e.TURN_SECRET, ttlS: e.TURN_TTL_S } : undefined,
    agentDir: e.AGENT_DIR.trim() === '' ? undefined : path.resolve(e.AGENT_DIR),
    agentPublicKey: e.AGENT_PUBLIC_KEY ? readAgentKey(e.AGENT_PUBLIC_KEY) : undefined,
    agentAutobuild: { enabled: e.AGENT_AUTOBUILD === 'on' || e.AGENT_AUTOBUILD === '1', agentDirSet: env.AGENT_DIR !== undefined, signingKeySet: Boolean(env.FERNHILFE_SIGNING_KEY) },
    authenticodeCa: e.AUTHENTICODE_CA_FILE ? readCertificate('AUTHENTICODE_CA_FILE', e.AUTHENTICODE_CA_FILE) : undefined,
    serverKey: { file: path.resolve(e.SERVER_KEY_FILE ?? path.join(e.DATA_DIR, 'server.key')), text: e.SERVER_KEY },
    cluster: e.REDIS_URL ? { redisUrl: e.REDIS_URL, nodeId, nodeTtlMs: e.CLUSTER_NODE_TTL_MS } : undefined,
    metrics: metricsConfig(e, nodeId),
    caseTtlMs: e.CASE_TTL_HOURS * 3_600_000,
    files: {
      maxBytes: e.FILES_MAX_BYTES,
      directions: e.FILES_DIRECTIONS === 'both' ? ['to-customer', 'to-technician'] : e.FILES_DIRECTIONS === 'none' ? [] : [e.FILES_DIRECTIONS],
    },
    recording,
    ...parseOidcConfig(e, e.PUBLIC_URL, (kind, message) => {
      throw new ConfigError(kind, message);
    }),
  };
}
