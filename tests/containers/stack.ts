import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '@fernhilfe/testkit';
import { expect, vi } from 'vitest';
import { clientsFor, termsOf, type ClusterNode } from '../cluster/fixture.js';
import { ROOT } from '../support/processes.js';
import { within } from '../support/resume-kit.js';
import { TECH_LOGIN, TECH_PASSWORD } from '../support/server.js';
import { buildImages, type TestImages } from './images.js';
import { podman, run, runOk } from './podman.js';

/**
 * deploy/compose.yaml brought up with podman-compose, as an operator would (`make-secrets.sh`, then
 * `up -d`), in a folder of its own with its own project name, so that volumes, network and
 * containers are the test's. The images are the test's stand-ins (images.ts), chosen through the
 * variables compose.yaml reads; ports are free ports on 127.0.0.1; Caddy uses its own CA
 * (FERNHILFE_TLS=internal), which the test then trusts.
 */
export type NodeClients = Omit<ClusterNode, 'logText' | 'close'>;

export interface Stack {
  project: string;
  /** the folder holding compose.yaml, .env and secrets/ */
  dir: string;
  /** https://127.0.0.1:PORT, through Caddy */
  publicUrl: string;
  /** Caddy's root certificate (PEM file), for NODE_EXTRA_CA_CERTS */
  caFile: string;
  node1: NodeClients;
  node2: NodeClients;
  /** the container of a compose service (podman-compose names them PROJECT_SERVICE_1) */
  container(service: string): string;
  compose(args: string[]): Promise<string>;
  /** runs `fernhilfe ARGS` inside a node's container (its environment, its secrets) */
  fernhilfe(service: 'node-1' | 'node-2', args: string[], input?: string): Promise<string>;
  /** resolves once both nodes answer /healthz through their published ports and Caddy */
  ready(): Promise<void>;
  /** `down -v` and the folder: everything the test made */
  destroy(): Promise<void>;
}

export const SERVICES = ['node-1', 'node-2', 'postgres', 'redis', 'coturn', 'proxy'] as const;

/** GET over https trusting only the given CA; resolves with the status (0 when nothing answered). */
export function httpsStatus(url: string, ca: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { ca, timeout: 5000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once('error', () => resolve(0));
    req.once('timeout', () => req.destroy());
    req.end();
  });
}

async function httpStatus(url: string): Promise<number> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(5000) })).status;
  } catch {
    return 0;
  }
}

export async function createStack(images: TestImages): Promise<Stack> {
  const dir = mkdtempSync(path.join(tmpdir(), 'fernhilfe-compose-'));
  for (const file of ['compose.yaml', 'Caddyfile', 'coturn.sh', 'make-secrets.sh']) cpSync(path.join(ROOT, 'deploy', file), path.join(dir, file));
  await runOk('sh', [path.join(dir, 'make-secrets.sh'), '127.0.0.1']);
  const project = `fhtest${Math.random().toString(36).slice(2, 8)}`;
  const [https, http, p1, p2, turn] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
  const turnRange = 40000 + Math.floor(Math.random() * 200) * 100;
  const env: Record<string, string> = {
    FERNHILFE_IMAGE: images.fernhilfe,
    POSTGRES_IMAGE: images.postgres,
    REDIS_IMAGE: images.redis,
    COTURN_IMAGE: images.coturn,
    CADDY_IMAGE: images.caddy,
    FERNHILFE_TLS: 'internal',
    FERNHILFE_HTTPS: `127.0.0.1:${https}`,
    FERNHILFE_HTTP: `127.0.0.1:${http}`,
    FERNHILFE_PUBLIC_URL: `https://127.0.0.1:${https}`,
    NODE_1_PUBLISH: `127.0.0.1:${p1}`,
    NODE_2_PUBLISH: `127.0.0.1:${p2}`,
    TURN_PORT: String(turn),
    TURN_PUBLISH_ADDR: '127.0.0.1',
    TURN_MIN_PORT: String(turnRange),
    TURN_MAX_PORT: String(turnRange + 99),
  };
  // podman-compose 1.0.3 lets deploy/.env win over the environment: the test's settings go there
  appendFileSync(path.join(dir, '.env'), Object.entries(env).map(([k, v]) => `${k}=${v}\n`).join(''));
  const compose = (args: string[]) => runOk('podman-compose', ['-f', path.join(dir, 'compose.yaml'), '-p', project, ...args], { cwd: dir, timeoutMs: 10 * 60_000 });
  const container = (service: string) => `${project}_${service}_1`;
  const caFile = path.join(dir, 'caddy-root.pem');
  const publicUrl = `https://127.0.0.1:${https}`;
  const node1Url = `http://127.0.0.1:${p1}`;
  const node2Url = `http://127.0.0.1:${p2}`;

  const stack: Stack = {
    project,
    dir,
    publicUrl,
    caFile,
    node1: clientsFor('node-1', node1Url, termsOf(node1Url)),
    node2: clientsFor('node-2', node2Url, termsOf(node2Url)),
    container,
    compose,
    fernhilfe: (service, args, input) => podman(['exec', '-i', container(service), 'node', '/app/deploy/entrypoint.mjs', ...args], { input: input ?? '' }),
    ready: async () => {
      await vi.waitFor(
        async () => {
          if ((await httpStatus(`${node1Url}/healthz`)) !== 200 || (await httpStatus(`${node2Url}/healthz`)) !== 200) throw new Error('the nodes do not answer /healthz yet');
        },
        { timeout: 180_000, interval: 500 },
      );
      // Caddy's CA exists once it has issued the site's certificate
      await vi.waitFor(
        async () => {
          const pem = await podman(['exec', container('proxy'), 'cat', '/data/caddy/pki/authorities/local/root.crt']);
          writeFileSync(caFile, pem);
          if ((await httpsStatus(`${publicUrl}/healthz`, pem)) !== 200) throw new Error('Caddy does not pass /healthz yet');
        },
        { timeout: 120_000, interval: 500 },
      );
    },
    destroy: async () => {
      await run('podman-compose', ['-f', path.join(dir, 'compose.yaml'), '-p', project, 'down', '-v'], { cwd: dir });
      // podman-compose 1.0.3 leaves the project's networks (and their bridges and firewall rules) behind
      const networks = (await podman(['network', 'ls', '-q', '--filter', `label=io.podman.compose.project=${project}`])).split('\n').filter(Boolean);
      if (networks.length > 0) await podman(['network', 'rm', '-f', ...networks]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return stack;
}

/** A customer registered on `customerNode` and a technician on `techNode`, connected (both see the same SAS). */
export async function pairOn(customerNode: NodeClients, techNode: NodeClients) {
  const customer = await customerNode.customer();
  const tech = await techNode.technician();
  const custSessionP = customer.once('session');
  const techSession = await within(tech.connect(customer.id, customer.password!), 20_000, 'the session across the nodes');
  const custSession = await within(custSessionP, 20_000, "the customer's session");
  expect(techSession.sas).toBe(custSession.sas);
  return { customer, tech, techSession, custSession };
}

/** A secret make-secrets.sh wrote (the test searches logs for it). */
export function secretOf(stack: Stack, name: string): string {
  return readFileSync(path.join(stack.dir, 'secrets', name), 'utf8').trim();
}

export const ADMIN_LOGIN = 'chefin';
export const ADMIN_PASSWORD = 'ein langes Admin-Passwort 42';

/**
 * What both container test files start with: the images (cached), the stack up and healthy, and
 * two accounts made with the CLI inside the node containers (technician `max`, admin `chefin`).
 * `lap` records how long each part took; the files print the list at their end.
 */
export async function startStack(lap: (what: string, since: number) => void): Promise<{ images: TestImages; stack: Stack }> {
  let t = performance.now();
  const images = await buildImages();
  lap('images', t);
  t = performance.now();
  const stack = await createStack(images);
  await stack.compose(['up', '-d']);
  await stack.ready();
  lap('compose up until healthy', t);
  await stack.fernhilfe('node-1', ['user', 'add', TECH_LOGIN, '--name', 'Max Mustermann', '--company', 'Beispiel GmbH'], `${TECH_PASSWORD}\n`);
  await stack.fernhilfe('node-2', ['user', 'add', ADMIN_LOGIN, '--role', 'admin'], `${ADMIN_PASSWORD}\n`);
  return { images, stack };
}

/** A stopwatch of named laps, printed by `report`. */
export function stopwatch() {
  const t0 = performance.now();
  const times: string[] = [];
  return {
    lap: (what: string, since: number) => void times.push(`${what} ${((performance.now() - since) / 1000).toFixed(1)} s`),
    report: (label: string, extra = '') => {
      times.push(`whole run ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      process.stdout.write(`${label}: ${times.join(', ')}${extra}\n`);
    },
  };
}
