import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, buildOnce, runNode } from '../support/processes.js';

/**
 * The image's entry point (deploy/entrypoint.mjs) on the host: a secret file that is missing, empty
 * or cannot go into its URL stops the start with a sentence naming it, and never prints the secret.
 * That a good file reaches PostgreSQL and Redis shows in compose-stack.test.ts, where both need it.
 */
const ENTRY = path.join(ROOT, 'deploy/entrypoint.mjs');
const dir = mkdtempSync(path.join(tmpdir(), 'fernhilfe-entry-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the container entry point reads secrets from files', () => {
  it('refuses a missing file, an empty file and a URL without a host, naming the variable and not the secret', async () => {
    buildOnce();
    const secret = path.join(dir, 'pw');
    writeFileSync(secret, 'geheim-und-lang-genug\n');
    const empty = path.join(dir, 'empty');
    writeFileSync(empty, '');
    const cases: [Record<string, string>, RegExp][] = [
      [{ DATABASE_URL: 'postgres://fernhilfe@db:5432/fernhilfe', DATABASE_PASSWORD_FILE: path.join(dir, 'missing') }, /DATABASE_PASSWORD_FILE: cannot read .*missing \(ENOENT\)/],
      [{ REDIS_URL: 'redis://redis:6379/0', REDIS_PASSWORD_FILE: empty }, /REDIS_PASSWORD_FILE: .*empty is empty/],
      [{ DATABASE_URL: 'postgres:///fernhilfe?host=/run/postgresql', DATABASE_PASSWORD_FILE: secret }, /DATABASE_URL has no host/],
      [{ DATABASE_URL: 'postgres://fernhilfe@/fernhilfe?host=/run/postgresql', DATABASE_PASSWORD_FILE: secret }, /DATABASE_URL is not a URL/],
      [{ REDIS_PASSWORD_FILE: secret }, /REDIS_URL must be set/],
    ];
    for (const [env, message] of cases) {
      const r = await runNode(ENTRY, ['user', 'list'], { env: { DATABASE_URL: '', REDIS_URL: '', ...env } });
      expect(r.stderr).toMatch(message);
      expect(r.code).toBe(1);
      expect(r.stdout + r.stderr).not.toContain('geheim-und-lang-genug');
    }
  });
});
