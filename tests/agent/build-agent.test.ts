import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnProgram, type Command } from '@fernhilfe/programs';
import path from 'node:path';
import { parseSignature, publicKeyFromRaw, verifyAgent } from '@fernhilfe/server/agent-download/public';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/processes.js';
import { AGENT_FILE, BUILT_IN_SERVER, builtAgent, ensurePageBuilt, runBuildScript, type BuiltAgent } from './build-fixture.js';
import { builtEncoder } from './support/encoder-records.js';

const PAGE_DIST = path.join(ROOT, 'apps/quicksupport/dist');
/** Where a program may read from besides its own file: the C library, system configuration, the kernel's views. */
const SYSTEM_READS = ['/lib/', '/lib64/', '/usr/', '/etc/', '/proc/', '/sys/', '/dev/'];
const FILE_CALLS = 'execve,open,openat,openat2,creat,mkdir,mkdirat,rename,renameat,renameat2,unlink,unlinkat,rmdir,truncate,link,linkat,symlink,symlinkat';

interface Run {
  code: number | null;
  out: string;
}

function run(cmd: Command, args: string[], opts: { cwd: string; env: Record<string, string> }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawnProgram(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

/** The file system calls in an strace log: the path, and whether the call creates, changes or removes something. */
function fileCalls(trace: string): { path: string; writes: boolean; line: string }[] {
  const calls: { path: string; writes: boolean; line: string }[] = [];
  for (const line of trace.split('\n')) {
    const m = /^\d+\s+(\w+)\((?:AT_FDCWD|\d+), "([^"]*)"(.*)$/.exec(line) ?? /^\d+\s+(\w+)\("([^"]*)"(.*)$/.exec(line);
    if (!m) continue;
    const [, call, file, rest] = m as unknown as [string, string, string, string];
    const opens = call === 'open' || call === 'openat' || call === 'openat2';
    const writes = call === 'execve' ? false : opens ? /O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_APPEND/.test(rest) : true;
    calls.push({ path: file, writes, line });
  }
  return calls;
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

describe('npm run build:agent: one signed file that runs without installation', () => {
  let agent: BuiltAgent;
  const scratch: string[] = [];
  const tempDir = (name: string) => {
    const dir = mkdtempSync(path.join(tmpdir(), name));
    scratch.push(dir);
    return dir;
  };

  beforeAll(async () => {
    agent = await builtAgent();
    process.stdout.write(`agent build (cached or fresh) took ${(agent.buildMs / 1000).toFixed(1)} s:\n${agent.buildOutput}`);
  }, 180_000);
  afterAll(() => {
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  });

  it('writes one executable for linux-x64 and a detached Ed25519 signature over exactly its bytes', () => {
    expect(agent.buildOutput).toMatch(new RegExp(`^built \\S+/${AGENT_FILE}\n  size +[\\d.]+ MiB`));
    expect(agent.buildOutput).toContain(`server      ${BUILT_IN_SERVER}`);
    expect(readdirSync(agent.dir).filter((f) => f.startsWith('fernhilfe-') || f.startsWith('.'))).toEqual([AGENT_FILE, `${AGENT_FILE}.sig`]);
    const bytes = readFileSync(agent.file);
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from([0x7f, 0x45, 0x4c, 0x46])); // ELF
    expect(bytes[4]).toBe(2); // 64-bit
    expect(bytes.readUInt16LE(18)).toBe(0x3e); // x86-64
    expect(statSync(agent.file).mode & 0o111).toBe(0o111);
    // the Linux encoder travels inside, byte for byte (a SEA asset): nobody installs ffmpeg
    expect(bytes.indexOf(readFileSync(builtEncoder('linux-x64')))).toBeGreaterThan(0);
    process.stdout.write(`${AGENT_FILE}: ${(bytes.length / 1024 / 1024).toFixed(1)} MiB\n`);

    const sig = parseSignature(readFileSync(agent.sig, 'utf8'));
    expect(sig).toMatchObject({ file: AGENT_FILE, size: bytes.length, sha256: sha256(bytes) });
    expect(Buffer.from(sig.publicKey).toString('base64')).toBe(agent.publicKeyBase64);
    expect(verifyAgent(bytes, sig, publicKeyFromRaw(sig.publicKey))).toMatchObject({ ok: true });
  });

  it('starts from an empty directory with a bare environment, prints its usage with the built-in server, and writes nothing', async () => {
    const cwd = tempDir('fernhilfe-agent-cwd-');
    const home = tempDir('fernhilfe-agent-home-');
    const traceFile = path.join(tempDir('fernhilfe-agent-trace-'), 'trace.txt');
    const env = { PATH: '/usr/bin:/bin', HOME: home, LANG: 'en_US.UTF-8' };
    const r = await run('strace', ['-f', '-qq', '-e', `trace=${FILE_CALLS}`, '-o', traceFile, agent.file, '--help'], { cwd, env });
    expect(r.out).toMatch(/Usage:/);
    expect(r.out).toContain(BUILT_IN_SERVER);
    expect(r.code).toBe(0);

    const calls = fileCalls(readFileSync(traceFile, 'utf8'));
    expect(calls.length).toBeGreaterThan(5); // the trace saw the program's own start
    // the trace follows the program itself (Node may or may not open its own file again, depending on the host)
    expect(calls.filter((c) => c.line.includes('execve(')).map((c) => c.path)).toContain(agent.file);
    const writes = calls.filter((c) => c.writes && !c.path.startsWith('/dev/') && !c.path.startsWith('/proc/'));
    expect(writes.map((c) => c.line)).toEqual([]);
    const elsewhere = calls.filter((c) => c.path !== agent.file && !SYSTEM_READS.some((p) => c.path.startsWith(p)));
    expect(elsewhere.map((c) => c.line)).toEqual([]);
    expect(readdirSync(cwd)).toEqual([]);
    expect(readdirSync(home)).toEqual([]);
  });

  it('embeds the QuickSupport page byte for byte, leaves the native WebRTC addon out, carries werift, and loads no code from disk', async () => {
    ensurePageBuilt();
    // the same build around a probe entry (packages/agent/build/placeholder-main.ts) instead of the agent
    const out = tempDir('fernhilfe-agent-probe-');
    const built = await runBuildScript(['--unsigned', '--entry', path.join(ROOT, 'packages/agent/build/placeholder-main.ts'), '--out', out, '--server', BUILT_IN_SERVER]);
    expect(built.stderr).toBe('');
    expect(built.code).toBe(0);
    const program = path.join(out, AGENT_FILE);
    // run from elsewhere, so nothing can be read from the checkout
    const env = { PATH: '/usr/bin:/bin', HOME: out };
    const dump = await run({ file: program }, ['--dump-assets'], { cwd: tempDir('fernhilfe-agent-empty-'), env });
    expect(dump.code).toBe(0);
    const embedded = JSON.parse(dump.out) as Record<string, { type: string; sha256: string }>;

    const onDisk: Record<string, string> = {};
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) walk(full);
        else if (!e.name.endsWith('.map')) onDisk['/' + path.relative(PAGE_DIST, full)] = sha256(readFileSync(full));
      }
    };
    walk(PAGE_DIST);
    expect(Object.keys(onDisk)).toContain('/index.html');
    expect(Object.fromEntries(Object.entries(embedded).map(([k, v]) => [k, v.sha256]))).toEqual(onDisk);
    expect(embedded['/index.html']?.type).toBe('text/html; charset=utf-8');
    expect(Object.entries(embedded).filter(([k]) => k.endsWith('.js')).map(([, v]) => v.type)).toContain('text/javascript; charset=utf-8');

    // started in the checkout, where node_modules/@roamhq/wrtc is installed: still neither is loaded
    const probe = await run({ file: program }, ['--probe-native'], { cwd: ROOT, env });
    expect(probe.out).toBe('wrtc: absent (ERR_FERNHILFE_NOT_BUNDLED): relay only\n');
    const dynamic = await run({ file: program }, ['--probe-dynamic'], { cwd: ROOT, env });
    expect(dynamic.out).toBe('dynamic import: refused (ERR_UNKNOWN_BUILTIN_MODULE)\n');
    // the WebRTC stack the agent goes direct with (werift) is inside: a data channel within the program
    const webrtc = await run({ file: program }, ['--probe-webrtc'], { cwd: tempDir('fernhilfe-agent-empty-'), env });
    expect(webrtc.out, 'one JSON line from --probe-webrtc').toMatch(/^\{.*\}\n$/);
    const probed = JSON.parse(webrtc.out) as { stack: boolean; state: string; sha256?: string; expected?: string };
    expect(probed, webrtc.out).toMatchObject({ stack: true, state: 'received' });
    expect(probed.sha256).toBe(probed.expected);
  });

  it('refuses to build without a signing key or with a server address that is not http(s)', async () => {
    const out = tempDir('fernhilfe-agent-refused-');
    const noKey = await runBuildScript(['--out', out], { FERNHILFE_SIGNING_KEY: undefined });
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toMatch(/FERNHILFE_SIGNING_KEY is not set.*agent-key generate/);
    const badServer = await runBuildScript(['--out', out, '--server', 'ftp://support.example.com', '--unsigned']);
    expect(badServer.code).toBe(1);
    expect(badServer.stderr).toContain('--server must be an https:// (or http://) URL');
    expect(existsSync(path.join(out, AGENT_FILE))).toBe(false);
  });
});
