import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatabase, migrateToLatest, parseKeyFile } from '@fernhilfe/server';
import { startTestServer, type TestServer } from '../support/server.js';
import { databaseBytes } from '../support/sqlite-bytes.js';

async function settingsKeys(dataDir: string): Promise<string[]> {
  const database = await createDatabase({ dataDir });
  try {
    return (await database.db.selectFrom('settings').select('key').execute()).map((r) => r.key);
  } finally {
    await database.close();
  }
}

describe('the receipt signing key lives outside the database', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });
  const dataDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fernhilfe-keys-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  };
  const start = async (env: Record<string, string>) => {
    const srv = await startTestServer(env);
    cleanup.push(() => srv.close());
    return srv;
  };
  const publicKeyOf = async (srv: TestServer) => ((await (await fetch(`${srv.url}/receipt/public-key`)).json()) as { publicKey: string }).publicKey;

  it('is made in DATA_DIR/server.key (mode 600) on the first start; the database holds neither it nor its bytes', async () => {
    const dir = dataDir();
    const srv = await start({ DATA_DIR: dir });
    const keyFile = path.join(dir, 'server.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const material = parseKeyFile(readFileSync(keyFile, 'utf8'), keyFile);
    const publicKey = await publicKeyOf(srv);
    await srv.close();
    cleanup.pop();

    expect(await settingsKeys(dir)).not.toContain('receipts.signing-key');
    const bytes = databaseBytes(dir);
    expect(bytes.length).toBeGreaterThan(0);
    for (const secret of [material.master, material.receiptSeed]) {
      for (const form of [secret, Buffer.from(secret.toString('base64url')), Buffer.from(secret.toString('base64')), Buffer.from(secret.toString('hex'))]) {
        expect(bytes.includes(form)).toBe(false);
      }
    }
    expect(bytes.includes(Buffer.from('PRIVATE KEY'))).toBe(false);
    // the same key after a restart: receipts customers hold keep verifying
    const again = await start({ DATA_DIR: dir });
    expect(await publicKeyOf(again)).toBe(publicKey);
  });

  it('moves a receipt key an older version kept in the database into the key file, and deletes it there', async () => {
    const dir = dataDir();
    const database = await createDatabase({ dataDir: dir });
    await migrateToLatest(database.db);
    // what the version before this one stored (settings key receipts.signing-key)
    const legacy = generateKeyPairSync('ed25519');
    const der = legacy.publicKey.export({ type: 'spki', format: 'der' });
    const legacyPublic = der.subarray(der.length - 32).toString('base64url');
    const value = JSON.stringify({ privateKey: legacy.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey: legacyPublic });
    await database.db.insertInto('settings').values({ key: 'receipts.signing-key', value, updated_at: Date.now() }).execute();
    await database.close();

    const srv = await start({ DATA_DIR: dir });
    expect(await publicKeyOf(srv)).toBe(legacyPublic);
    await srv.close();
    cleanup.pop();
    expect(await settingsKeys(dir)).not.toContain('receipts.signing-key');
    // deleted for good: not left behind in free pages or the write-ahead log either
    expect(databaseBytes(dir).includes(Buffer.from('PRIVATE KEY'))).toBe(false);
    const material = parseKeyFile(readFileSync(path.join(dir, 'server.key'), 'utf8'), 'server.key');
    expect(material.receiptSeed.equals(legacy.privateKey.export({ type: 'pkcs8', format: 'der' }).subarray(-32))).toBe(true);
  });

  it('can come from SERVER_KEY_FILE elsewhere; a node with another key file refuses to start on the same database', async () => {
    const dir = dataDir();
    const secrets = dataDir();
    const keyFile = path.join(secrets, 'fernhilfe.key');
    const first = await start({ DATA_DIR: dir, SERVER_KEY_FILE: keyFile });
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    await first.close();
    cleanup.pop();
    expect(readdirSync(dir)).not.toContain('server.key');

    const other = path.join(secrets, 'other.key');
    await expect(startTestServer({ DATA_DIR: dir, SERVER_KEY_FILE: other })).rejects.toThrow(/is not the key this database was set up with .*every node of one database needs the same server key file/);
    // the same key as text (from a secret store) is accepted
    const viaEnv = await start({ DATA_DIR: dir, SERVER_KEY: readFileSync(keyFile, 'utf8') });
    expect(viaEnv.url).toMatch(/^http:/);
    writeFileSync(path.join(secrets, 'broken.key'), 'not a key\n');
    await expect(startTestServer({ DATA_DIR: dataDir(), SERVER_KEY_FILE: path.join(secrets, 'broken.key') })).rejects.toThrow(/not a Fernhilfe server key/);
  });
});
