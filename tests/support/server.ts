import { CustomerEndpoint, TechnicianEndpoint, webSocketTransport, type TransportFactory, type KeyLog, type WebSocketLike } from '@fernhilfe/client';
import { ApiClient } from '@fernhilfe/protocol';
import { createLogger, loadConfig, startServer, type RunningServer } from '@fernhilfe/server';
import { WebSocket } from 'ws';
import { makeTempDir, removeDir } from '@fernhilfe/testkit';

export const nodeTransport: TransportFactory = webSocketTransport((url) => new WebSocket(url) as unknown as WebSocketLike);

export const TECH_LOGIN = 'max';
export const TECH_PASSWORD = 'correct horse battery staple';

export interface TestServer extends RunningServer {
  dataDir: string;
  /** every log line the server wrote, as text */
  logText(): string;
  /** a signed-in technician API client */
  api(): Promise<ApiClient>;
  /** `url`: another base to connect through (e.g. a proxy, ws://127.0.0.1:port) */
  customer(opts?: { transport?: TransportFactory; keyLog?: KeyLog; url?: string }): Promise<CustomerEndpoint>;
  technician(opts?: { transport?: TransportFactory; keyLog?: KeyLog; url?: string; api?: ApiClient }): Promise<TechnicianEndpoint>;
}

/**
 * A real server on 127.0.0.1 port 0 with its own data directory (SQLite unless databaseUrl is
 * given) and one technician account. Logs go to memory so tests can search them.
 */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  // a DATA_DIR the test gives is the test's to keep (a restart on the same data); otherwise a fresh one, removed on close
  const ownDir = env.DATA_DIR === undefined;
  const dataDir = env.DATA_DIR ?? makeTempDir('test');
  const lines: string[] = [];
  const logger = createLogger('debug', { write: (line: string) => void lines.push(line) });
  // PASSWORD_COST 12: test servers hash a few passwords each; the cost itself is tested where it matters.
  // Every test customer comes from 127.0.0.1: the registration limit is lifted unless a test sets it.
  // No first-start build of the QuickSupport programs unless a test asks for it (tests/agent/first-start-build.test.ts).
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, BACKOFF_BASE_MS: '50', PASSWORD_COST: '12', REGISTRATIONS_PER_MINUTE: '100000', AGENT_AUTOBUILD: 'off', ...env });
  const server = await startServer(config, { logger });
  if (ownDir || !(await server.accounts.verifyLogin(TECH_LOGIN, TECH_PASSWORD))) {
    await server.accounts.createUser({ login: TECH_LOGIN, password: TECH_PASSWORD, role: 'technician', displayName: 'Max Mustermann', company: 'Beispiel GmbH' });
  }
  const terms = server.terms();

  const api = async () => {
    const a = new ApiClient(server.url);
    await a.login(TECH_LOGIN, TECH_PASSWORD);
    return a;
  };
  const close = async () => {
    await server.close();
    if (ownDir) removeDir(dataDir);
  };
  return {
    ...server,
    dataDir,
    logText: () => lines.join(''),
    api,
    customer: (o = {}) =>
      CustomerEndpoint.open({
        url: `${o.url ?? server.url.replace(/^http/, 'ws')}/ws/customer`,
        transport: o.transport ?? nodeTransport,
        termsVersion: terms.version,
        language: 'de',
        capabilities: ['screen', 'chat'],
        ...(o.keyLog ? { keyLog: o.keyLog } : {}),
      }),
    technician: async (o = {}) => {
      const a = o.api ?? (await api());
      // every connection needs a fresh single-use ticket, the reconnects after a drop too
      const freshUrl = async () => {
        const url = await a.technicianUrl();
        return o.url ? o.url + url.slice(url.indexOf('/ws/')) : url;
      };
      return TechnicianEndpoint.open({
        url: await freshUrl(),
        reconnectUrl: freshUrl,
        transport: o.transport ?? nodeTransport,
        ...(o.keyLog ? { keyLog: o.keyLog } : {}),
      });
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
