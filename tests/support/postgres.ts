import path from 'node:path';
import { tmpdir } from 'node:os';
import { makeTempDir, removeDir, startPostgres, type PostgresServer } from '@fernhilfe/testkit';

export interface TestBackend {
  name: 'sqlite' | 'postgres';
  /** createDatabase() options for a fresh, empty database. */
  freshDatabase(): Promise<{ databaseUrl?: string; dataDir: string }>;
  /** Stops the server (if one was started) and removes every temp dir. */
  dispose(): Promise<void>;
}

/**
 * Both storage backends, for `describe.each`; PostgreSQL starts on first use, once per test file.
 * `npm run test:unit` (no database server) takes SQLite only; `npm test` always both.
 */
export function testBackends(): TestBackend[] {
  return process.env.FERNHILFE_TEST_SCOPE === 'unit' ? [sqliteBackend()] : [sqliteBackend(), postgresBackend()];
}

function sqliteBackend(): TestBackend {
  const dirs: string[] = [];
  return {
    name: 'sqlite',
    freshDatabase: () => {
      const dataDir = makeTempDir('sqlite');
      dirs.push(dataDir);
      return Promise.resolve({ dataDir });
    },
    dispose: () => {
      for (const dir of dirs) removeDir(dir);
      return Promise.resolve();
    },
  };
}

function postgresBackend(): TestBackend {
  let server: Promise<PostgresServer> | undefined;
  let count = 0;
  const dataDir = path.join(tmpdir(), 'fernhilfe-unused-data-dir');
  return {
    name: 'postgres',
    freshDatabase: async () => {
      server ??= startPostgres();
      count += 1;
      return { databaseUrl: await (await server).createDatabase(`t${count}`), dataDir };
    },
    dispose: async () => {
      if (server) await (await server).stop();
    },
  };
}
