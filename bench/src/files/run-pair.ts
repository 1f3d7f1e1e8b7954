import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { BenchClient } from '../client.js';
import { EndpointProcess, type EndpointEvent } from './endpoint-process.js';
import { MemorySampler } from './memory-sampler.js';
import { BenchError } from '../errors.js';

export interface PairOptions {
  serverUrl: string;
  login: string;
  password: string;
  /** each endpoint receives into `<workDir>/<role>` */
  workDir: string;
  chunkSize?: number;
  windowBytes?: number;
}

export interface ProcessPair {
  customer: EndpointProcess;
  technician: EndpointProcess;
  folders: { customer: string; technician: string };
  stop(): Promise<void>;
}

/** Starts a customer and a technician process and connects them through the server. */
export async function startProcessPair(opts: PairOptions): Promise<ProcessPair> {
  const client = await BenchClient.signIn(opts.serverUrl, opts.login, opts.password);
  const folders = { customer: path.join(opts.workDir, 'customer'), technician: path.join(opts.workDir, 'technician') };
  for (const f of Object.values(folders)) mkdirSync(f, { recursive: true });
  const tuning = { ...(opts.chunkSize ? { chunkSize: opts.chunkSize } : {}), ...(opts.windowBytes ? { windowBytes: opts.windowBytes } : {}) };
  const customer = EndpointProcess.start({ role: 'customer', url: client.customerUrl, termsVersion: client.termsVersion, folder: folders.customer, ...tuning });
  const technician = EndpointProcess.start({ role: 'technician', url: await client.technicianUrl(), folder: folders.technician, ...tuning });
  const stop = async () => void (await Promise.all([customer.stop(), technician.stop()]));
  try {
    const reg = await customer.next('registered', 20_000);
    await technician.next('ready', 20_000);
    technician.send({ cmd: 'connect', id: reg.id, password: reg.password });
    const [a, b] = await Promise.all([customer.next('session', 20_000), technician.next('session', 20_000)]);
    if (a.sas !== b.sas) throw new BenchError('result', 'the endpoints derived different authentication strings');
    return { customer, technician, folders, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

export interface TransferRun {
  ms: number;
  /** RSS high-water marks, KiB, by name */
  peakKiB: Record<string, number>;
  /** CPU time (user + system) during the run, ms, by name */
  cpuMs: Record<string, number>;
  /** the sender's and receiver's end state (encrypted mode) */
  sender?: EndpointEvent;
  receiver?: EndpointEvent;
}

/**
 * Sends `filePath` from one endpoint to the other, encrypted through the file feature (`files`) or as
 * raw PEER frames (`raw`), sampling the memory of `watch` meanwhile. Timed from the command until the
 * receiver has the last byte (files: verified and renamed; raw: written).
 */
export async function timedTransfer(from: EndpointProcess, to: EndpointProcess, filePath: string, size: number, mode: 'files' | 'raw', watch: Record<string, number>, receivePath?: string): Promise<TransferRun> {
  if (mode === 'raw') {
    to.send({ cmd: 'expect-raw', path: receivePath!, size });
    await to.next('raw-ready');
  }
  const sampler = new MemorySampler(watch);
  const t0 = performance.now();
  try {
    if (mode === 'raw') {
      from.send({ cmd: 'send-raw', path: filePath });
      await to.next('raw-received', 600_000);
      const ms = performance.now() - t0;
      return { ms, peakKiB: sampler.stop(), cpuMs: sampler.cpuMs() };
    }
    from.send({ cmd: 'send', path: filePath });
    const receiver = await to.next('finished', 600_000);
    const ms = performance.now() - t0;
    const peakKiB = sampler.stop();
    const cpuMs = sampler.cpuMs();
    const sender = await from.next('finished', 30_000);
    return { ms, peakKiB, cpuMs, sender, receiver };
  } finally {
    sampler.stop();
  }
}
