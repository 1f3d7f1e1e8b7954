import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execProgram } from '@fernhilfe/programs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '@fernhilfe/protocol';
import { keyIdOf, parsePublicKey } from '@fernhilfe/server/agent-download/public';
import { launchTechnicianBrowser } from '../e2e/support/browser.js';
import { buildOnce, runCli } from '../support/processes.js';
import { TECH_LOGIN, TECH_PASSWORD } from '../support/server.js';
import type { TestImages } from './images.js';
import { podman, run } from './podman.js';
import { expectPageOffers, httpBytes, httpsBytes, operatorPublicKey, PROGRAMS, sha256 } from './programs.js';
import { ADMIN_LOGIN, ADMIN_PASSWORD, pairOn, SERVICES, secretOf, startStack, stopwatch, type Stack } from './stack.js';

/**
 * The container image and deploy/compose.yaml, as an operator runs them, on podman: the image built
 * from the repository's Containerfile (on a local base standing in for node:22-bookworm-slim), the
 * whole stack (two nodes, PostgreSQL, Redis, coturn, Caddy with TLS) brought up with podman-compose,
 * then what a person sees: the selftest through Caddy, a session across the two nodes, the accounts
 * and the audit records still there after `down` and `up`. `npm run test:containers` runs it.
 */
describe('the container image and deploy/compose.yaml on podman', () => {
  const clock = stopwatch();
  let images: TestImages;
  let stack: Stack;

  beforeAll(async () => {
    buildOnce(); // the host's CLI runs the selftest from outside
    ({ images, stack } = await startStack(clock.lap));
  }, 60 * 60_000);

  afterAll(async () => {
    await stack?.destroy();
    clock.report('test:containers (compose stack)', `; Fernhilfe image ${((images?.fernhilfeSize ?? 0) / 1e6).toFixed(0)} MB`);
  }, 5 * 60_000);

  it('the image runs as a non-root user, with /data as a volume and a health check on /healthz that passes in each node', async () => {
    const config = JSON.parse(await podman(['image', 'inspect', '--format', '{{json .Config}}', images.fernhilfe])) as { User: string; Volumes: Record<string, unknown> };
    const health = JSON.parse(await podman(['image', 'inspect', '--format', '{{json .HealthCheck}}', images.fernhilfe])) as { Test: string[] } | null;
    expect(config.User).toBe('fernhilfe');
    expect(Object.keys(config.Volumes)).toContain('/data');
    expect(health?.Test.join(' ')).toContain('/healthz');
    expect((await podman(['exec', stack.container('node-1'), 'id', '-u'])).trim()).toBe('10001');
    // no compilers in the runtime stage
    expect((await run('podman', ['exec', stack.container('node-1'), 'sh', '-c', 'command -v g++ || command -v make'])).stdout).toBe('');
    // the image's health check command, run in each node (`podman healthcheck run` needs systemd's timers, absent here)
    expect(health!.Test[0]).toBe('CMD');
    for (const node of ['node-1', 'node-2']) expect((await run('podman', ['exec', stack.container(node), ...health!.Test.slice(1)])).code, `${node} is healthy`).toBe(0);
  });

  it('fernhilfe selftest passes through Caddy over TLS, trusting only the test CA', async () => {
    const ok = await runCli(['selftest', '--server', stack.publicUrl, '--user', TECH_LOGIN], { input: `${TECH_PASSWORD}\n`, env: { NODE_EXTRA_CA_CERTS: stack.caFile }, timeoutMs: 60_000 });
    expect(ok.stdout).toMatch(/^selftest ok: session set up in/m);
    expect(ok.code).toBe(0);
    // without the CA the certificate is refused: the TLS is Caddy's, not a plain port
    const refused = await runCli(['selftest', '--server', stack.publicUrl, '--user', TECH_LOGIN], { input: `${TECH_PASSWORD}\n`, timeoutMs: 60_000 });
    expect(refused.stdout).toMatch(/^selftest failed: /m);
    expect(refused.code).toBe(1);
  });

  it('a customer on node 1 and a technician on node 2 get a session, and chat both ways', async () => {
    const { customer, techSession, custSession } = await pairOn(stack.node1, stack.node2);
    const toCustomer = custSession.once('control');
    await techSession.sendControl({ type: 'chat', text: 'Hallo aus dem Container' });
    expect(await toCustomer).toEqual({ type: 'chat', text: 'Hallo aus dem Container' });
    const toTech = techSession.once('control');
    await custSession.sendControl({ type: 'chat', text: 'Hallo zurück' });
    expect(await toTech).toEqual({ type: 'chat', text: 'Hallo zurück' });
    const ended = customer.once('ended');
    await techSession.end();
    expect(await ended).toMatchObject({ by: 'technician' });
    expect(await podman(['logs', stack.container('node-2')])).toMatch(/connection handed to its home node/);
  });

  it('the QuickSupport page of each node offers the Linux and the Windows program, signed at start with the key from the secret', async () => {
    const keyId = keyIdOf(parsePublicKey(operatorPublicKey(stack)));
    const browser = await launchTechnicianBrowser();
    try {
      for (const node of [stack.node1, stack.node2]) {
        await expectPageOffers(browser, node.url, 'win-x64', keyId);
        await expectPageOffers(browser, node.url, 'linux-x64', keyId);
      }
    } finally {
      await browser.close();
    }
  }, 5 * 60_000);

  it("a program downloaded through Caddy passes fernhilfe verify with the operator's public key; node 1 and node 2 serve the same bytes", async () => {
    const publicKey = operatorPublicKey(stack);
    const ca = readFileSync(stack.caFile, 'utf8');
    const dir = mkdtempSync(path.join(tmpdir(), 'fernhilfe-programs-'));
    try {
      for (const program of PROGRAMS) {
        const bytes = await httpsBytes(`${stack.publicUrl}${program.url}`, ca);
        const sig = await httpsBytes(`${stack.publicUrl}${program.url}.sig`, ca);
        for (const node of [stack.node1, stack.node2]) {
          expect(sha256(await httpBytes(`${node.url}${program.url}`)), `${program.file} from ${node.name}`).toBe(sha256(bytes));
          expect((await httpBytes(`${node.url}${program.url}.sig`)).toString(), `${program.file}.sig from ${node.name}`).toBe(sig.toString());
        }
        const file = path.join(dir, program.file);
        writeFileSync(file, bytes);
        writeFileSync(`${file}.sig`, sig);
        // the Windows program's Authenticode signature too, against the CA make-secrets.sh made
        const caArgs = program.platform === 'win-x64' ? ['--ca', path.join(stack.dir, 'secrets/authenticode_ca.pem')] : [];
        const verified = await runCli(['verify', file, '--key', publicKey, ...caArgs], { timeoutMs: 120_000 });
        expect(verified.stdout, program.file).toMatch(new RegExp(`^OK: ${program.file.replace('.', '\\.')} is exactly the file signed with the key`, 'm'));
        expect(verified.code, `${verified.stdout}${verified.stderr}`).toBe(0);
      }
      // the CA of the Windows program's certificate is published (AUTHENTICODE_CA_FILE) for `fernhilfe verify --server`
      expect((await httpsBytes(`${stack.publicUrl}/download/authenticode-ca.pem`, ca)).toString()).toBe(readFileSync(path.join(stack.dir, 'secrets/authenticode_ca.pem'), 'utf8'));
      // the address customers reach (PUBLIC_URL) is built into the program each node signed
      const linux = path.join(dir, PROGRAMS[0].file);
      chmodSync(linux, 0o755);
      expect((await execProgram({ file: linux }, ['--help'])).stdout).toContain(`(built in: ${stack.publicUrl})`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 5 * 60_000);

  it('no secret from the secrets folder shows in any container log', async () => {
    const secrets = ['postgres_password', 'redis_password', 'turn_secret'].map((name) => secretOf(stack, name));
    // the body of the programs' signing key (a PEM's second line)
    secrets.push(secretOf(stack, 'agent_signing_key').split('\n')[1]!);
    const master = /master: (\S+)/.exec(secretOf(stack, 'server_key'))![1]!;
    for (const service of SERVICES) {
      const logs = (await run('podman', ['logs', stack.container(service)])).stdout + (await run('podman', ['logs', stack.container(service)])).stderr;
      for (const secret of [...secrets, master]) expect(logs.includes(secret), `${service}'s log`).toBe(false);
    }
  });

  it('down leaves the volumes; up again keeps the accounts and the audit records', async () => {
    const admin = new ApiClient(stack.node1.url);
    await admin.login(ADMIN_LOGIN, ADMIN_PASSWORD);
    const before = (await admin.call('audit', { query: { limit: 1000 } })).entries;
    expect(before.map((e) => e.event)).toEqual(expect.arrayContaining(['session-authenticated', 'session-ended']));

    await stack.compose(['down']);
    expect((await podman(['ps', '-a', '--filter', `label=io.podman.compose.project=${stack.project}`, '--format', '{{.Names}}'])).trim()).toBe('');
    const volumes = await podman(['volume', 'ls', '--format', '{{.Name}}']);
    for (const v of ['node-1-data', 'node-2-data', 'postgres-data', 'redis-data', 'caddy-data']) expect(volumes).toContain(`${stack.project}_${v}`);

    await stack.compose(['up', '-d']);
    await stack.ready();
    const again = new ApiClient(stack.node2.url);
    await again.login(ADMIN_LOGIN, ADMIN_PASSWORD);
    const after = (await again.call('audit', { query: { limit: 1000 } })).entries;
    for (const entry of before) expect(after.find((e) => e.seq === entry.seq)?.hash, `audit entry ${entry.seq}`).toBe(entry.hash);
    // the chain still verifies with the server key from the secret: same key, same records
    expect(await again.call('auditVerify')).toMatchObject({ ok: true });
    // and the technician's account opens sessions again, this time the other way round
    const { techSession } = await pairOn(stack.node2, stack.node1);
    await techSession.end();
  }, 15 * 60_000);
});
