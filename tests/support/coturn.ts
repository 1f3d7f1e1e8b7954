import type { ChildProcess } from 'node:child_process';
import { spawnProgram } from '@fernhilfe/programs';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { within } from './resume-kit.js';

const LISTENING = /IPv4\. UDP listener opened|udp.*listener opened/i;

/**
 * A real coturn (`turnserver`) for one test: TURN REST API authentication (`use-auth-secret` with a
 * `static-auth-secret`), UDP only, on `address` and a free port, relaying from the same address.
 * No config file, no database, no CLI, nothing written to disk but its log on stdout.
 */
export interface Coturn {
  url: string;
  secret: string;
  port: number;
  /** everything it logged */
  output(): string;
  /** allocations it granted so far (from its log) */
  allocations(): number;
  stop(): Promise<void>;
}

async function freeUdpPort(address: string): Promise<number> {
  const sock = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(0, address, () => resolve());
  });
  const { port } = sock.address();
  await new Promise<void>((resolve) => sock.close(() => resolve()));
  return port;
}

export async function startCoturn(address: string): Promise<Coturn> {
  const port = await freeUdpPort(address);
  const secret = randomBytes(24).toString('hex');
  const minPort = 40000 + Math.floor(Math.random() * 20000);
  const child: ChildProcess = spawnProgram(
    'turnserver',
    [
      '-n', // no configuration file
      `--listening-ip=${address}`,
      `--relay-ip=${address}`,
      `--listening-port=${port}`,
      `--min-port=${minPort}`,
      `--max-port=${minPort + 200}`,
      '--use-auth-secret',
      `--static-auth-secret=${secret}`,
      '--realm=fernhilfe.test',
      '--fingerprint',
      '--no-tls',
      '--no-dtls',
      '--no-tcp-relay',
      '--no-cli',
      '--no-rfc5780',
      '--no-stun-backward-compatibility',
      '--log-file=stdout',
      '--simple-log',
      '--verbose',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // ready once it says it listens on the UDP port
  const listening = new Promise<void>((resolve, reject) => {
    const look = () => {
      if (LISTENING.test(out)) resolve();
    };
    child.stdout?.on('data', look);
    child.stderr?.on('data', look);
    child.once('exit', (code) => reject(new Error(`turnserver exited (${code})`)));
  });
  try {
    await within(listening, 10_000, 'turnserver to open its UDP listener');
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`turnserver did not start: ${err instanceof Error ? err.message : String(err)}\n${out.slice(-2000)}`, { cause: err });
  }
  return {
    url: `turn:${address}:${port}?transport=udp`,
    secret,
    port,
    output: () => out,
    allocations: () => (out.match(/ALLOCATE processed, success/g) ?? []).length,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}
