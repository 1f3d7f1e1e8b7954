import { execProgramSync } from '@fernhilfe/programs';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ControlMessage } from '@fernhilfe/protocol';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { visible, startXvfb, type Xvfb } from '@fernhilfe/testkit';
import { launchTechnicianBrowser } from '../e2e/support/browser.js';
import { ROOT } from '../support/processes.js';
import { holdStill } from '../support/quiet.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { acceptAndReadCredentials, startAgentWithPage } from './support/agent-page.js';
import { assertAgentBuilt, startAgent } from './support/agent-process.js';
import { openCount, straceArgs, writesOutsideDevProc } from './support/agent-strace.js';
import { builtEncoder } from './support/encoder-records.js';

/**
 * "Leaves nothing behind": the real agent runs under `strace -f` for a whole session (terms, ID,
 * a technician connects, control is asked for and allowed, chat, end) with the X display set, so
 * that every feature and every child process it starts is traced. No file may be opened for
 * writing, created, renamed or removed outside /dev and /proc. The trace file belongs to the test
 * (strace writes it, strace is not traced). The agent runs in an empty scratch directory as
 * HOME and current directory, which must stay empty too.
 */
describe('the agent writes no file during a whole session', () => {
  let srv: TestServer;
  let browser: Browser;
  let xvfb: Xvfb;
  let dir: string;
  let encoder: string;

  beforeAll(async () => {
    assertAgentBuilt();
    encoder = builtEncoder('linux-x64');
    srv = await startTestServer();
    xvfb = await startXvfb({ width: 1280, height: 720 });
    browser = await launchTechnicianBrowser();
    dir = mkdtempSync(path.join(tmpdir(), 'fernhilfe-agent-strace-'));
  });
  afterAll(async () => {
    await browser?.close();
    await xvfb?.stop();
    await srv?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the checker finds writes (it can fail)', () => {
    const sample = [
      '123 openat(AT_FDCWD, "/home/x/.config/f", O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0666) = 3',
      '123 openat(AT_FDCWD, "/etc/hosts", O_RDONLY|O_CLOEXEC) = 3',
      '124 openat(AT_FDCWD, "/dev/null", O_RDWR|O_CLOEXEC) = 4',
      '125 mkdir("/tmp/cache", 0777) = 0',
      '126 renameat2(AT_FDCWD, "/tmp/a", AT_FDCWD, "/tmp/b", 0) = 0',
    ].join('\n');
    expect(writesOutsideDevProc(sample).map((w) => w.path)).toEqual(['/home/x/.config/f', '/tmp/cache', '/tmp/a', '/tmp/b']);
  });

  it('the trace catches a real write through the same strace options (it can fail)', () => {
    const log = path.join(dir, 'strace-probe.log');
    const target = path.join(dir, 'probe-written.txt');
    execProgramSync('strace', [...straceArgs(log), process.execPath, '-e', `require('node:fs').writeFileSync(${JSON.stringify(target)}, 'x')`]);
    expect(writesOutsideDevProc(readFileSync(log, 'utf8')).map((w) => w.path)).toContain(target);
  });

  /** A whole session with the page, under strace; `script`: the agent build to run. */
  async function pageSession(name: string, script?: string): Promise<void> {
    const home = mkdtempSync(path.join(dir, 'home-'));
    const log = path.join(dir, `strace-${name}.log`);
    const run = await startAgentWithPage(srv.url, browser, {
      wrapper: { program: 'strace', args: straceArgs(log) },
      cwd: home,
      ...(script ? { script } : {}),
      // the cache is the empty HOME's: the encoder built in the real cache is named by its path
      env: { HOME: home, DISPLAY: xvfb.name, XDG_CACHE_HOME: path.join(home, '.cache'), XDG_CONFIG_HOME: path.join(home, '.config'), FERNHILFE_ENCODER: encoder },
    });
    try {
      const { id, password } = await acceptAndReadCredentials(run.cust);
      const session = await (await srv.technician()).connect(id, password);
      const got: ControlMessage[] = [];
      session.on('control', (m) => got.push(m));
      await session.sendControl({ type: 'control-request' });
      await visible(run.cust.page, 'allow-control', 10_000);
      await run.cust.page.getByTestId('allow-control').click();
      await expect.poll(() => got.some((m) => m.type === 'control-granted'), { timeout: 10_000 }).toBe(true);
      await session.sendControl({ type: 'chat', text: 'hallo' });
      await expect.poll(() => run.cust.page.getByTestId('chat-log').textContent(), { timeout: 10_000 }).toContain('hallo');
      await holdStill(1_000, 'the screen feature (when the build has it) captures and encodes, so the trace covers it');
      await run.cust.page.getByTestId('end-session').click();
      expect(await run.agent.exited).toBe(0);
    } finally {
      await run.agent.kill();
      await run.cust.context.close();
    }
    const trace = readFileSync(log, 'utf8');
    expect(openCount(trace), 'the trace saw the agent open its files').toBeGreaterThan(20);
    expect(run.agent.stderr(), 'the session ran the screen, input, clipboard and file features').toMatch(/"features":\["consent","screen","input","clipboard","files"\]/);
    expect(trace, 'the encoder child process (fernhilfe-encoder) was traced too').toMatch(/execve\("[^"]*fernhilfe-encoder"/);
    expect(writesOutsideDevProc(trace).map((w) => w.line)).toEqual([]);
    expect(readdirSync(home), 'HOME and the working directory stay empty').toEqual([]);
  }

  it('browser page: terms, ID, a technician connects, control allowed, chat, End', () => pageSession('page'));

  it('the same with the one-file bundle (the page embedded, nothing unpacked)', async () => {
    const out = mkdtempSync(path.join(dir, 'bundle-'));
    execProgramSync({ file: process.execPath }, [path.join(ROOT, 'scripts/build-agent.mjs'), '--bundle-only', '--unsigned', '--out', out], { cwd: ROOT, stdio: 'pipe' });
    const bundle = readdirSync(out).find((f) => f.endsWith('.cjs'));
    expect(bundle, 'the build wrote a .cjs bundle').toBeDefined();
    await pageSession('bundle', path.join(out, bundle!));
  }, 120_000);

  it('terminal UI: the same, with answers piped to stdin', async () => {
    const home = mkdtempSync(path.join(dir, 'home-'));
    const log = path.join(dir, 'strace-terminal.log');
    const agent = startAgent(['--server', srv.url, '--terminal', '--lang', 'en'], { wrapper: { program: 'strace', args: straceArgs(log) }, cwd: home, env: { HOME: home, DISPLAY: xvfb.name } });
    try {
      await agent.waitFor(/Please read the terms/);
      // Enter pages through the terms until the question shows
      await vi.waitFor(() => {
        if (/\[y\] yes, \[n\] no/.test(agent.stdout())) return;
        agent.type('');
        throw new Error('the terms did not end with the question [y] yes, [n] no');
      }, { timeout: 5_000, interval: 100 });
      agent.type('y');
      const id = (await agent.waitFor(/ID:\s+(\d{3} \d{3} \d{3})/))[1]!.replace(/\s/g, '');
      const password = (await agent.waitFor(/Password:\s+(\S+)/))[1]!;
      const session = await (await srv.technician()).connect(id, password);
      await session.sendControl({ type: 'control-request' });
      await agent.waitFor(/asks to CONTROL/);
      agent.type('y');
      await agent.waitFor(/now controls your computer/);
      agent.type('e');
      expect(await agent.exited).toBe(0);
    } finally {
      await agent.kill();
    }
    const trace = readFileSync(log, 'utf8');
    expect(openCount(trace)).toBeGreaterThan(20);
    expect(writesOutsideDevProc(trace).map((w) => w.line)).toEqual([]);
    expect(readdirSync(home)).toEqual([]);
  });
});
