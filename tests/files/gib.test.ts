import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerProcess, startProcessPair, timedTransfer, type ProcessPair } from '@fernhilfe/bench';
import { sha256File, writePrngFile } from '@fernhilfe/testkit';
import { buildOnce } from '../support/processes.js';

/**
 * 1 GiB each way between two Node endpoints, each its own process, through the real server (also its
 * own process), with the agent's file source and folder sink: the received file has the sender's
 * SHA-256, and the server and both endpoints stay under 200 MB of resident memory throughout
 * (VmRSS sampled every 100 ms). FILES_TEST_BYTES makes it smaller for a quick run.
 */
const SIZE = Number(process.env.FILES_TEST_BYTES ?? 1024 ** 3);
const LIMIT_KIB = (200 * 1000 * 1000) / 1024; // 200 MB
const LOGIN = 'files';
const PASSWORD = randomBytes(12).toString('hex');

describe(`${SIZE} bytes each way through the real server`, () => {
  let server: ServerProcess;
  let pair: ProcessPair;
  let work: string;
  let source: string;
  let expected: string;

  beforeAll(async () => {
    buildOnce();
    work = mkdtempSync(path.join(tmpdir(), 'fernhilfe-files-'));
    source = path.join(work, 'source.bin');
    await writePrngFile(source, SIZE, 'gib-test');
    expected = await sha256File(source);
    server = await ServerProcess.start({ login: LOGIN, password: PASSWORD });
    pair = await startProcessPair({ serverUrl: server.url, login: LOGIN, password: PASSWORD, workDir: work });
  }, 300_000);

  afterAll(async () => {
    await pair?.stop();
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  const watch = () => ({ server: server.pid, customer: pair.customer.pid, technician: pair.technician.pid });

  it('technician -> customer: equal hashes, every process under 200 MB', async () => {
    const run = await timedTransfer(pair.technician, pair.customer, source, SIZE, 'files', watch());
    console.log(`technician -> customer: ${(SIZE / 1024 ** 2 / (run.ms / 1000)).toFixed(1)} MiB/s, peak RSS KiB ${JSON.stringify(run.peakKiB)}`);
    expect(run.receiver?.info).toMatchObject({ state: 'completed', name: 'source.bin', sha256: expected, size: SIZE });
    expect(run.sender?.info).toMatchObject({ state: 'completed', sha256: expected, sentBytes: SIZE });
    expect(await sha256File(path.join(pair.folders.customer, 'source.bin'))).toBe(expected);
    for (const [name, kib] of Object.entries(run.peakKiB)) expect(kib, `${name} peak RSS`).toBeLessThan(LIMIT_KIB);
  }, 300_000);

  it('customer -> technician (the file it received): equal hashes, every process under 200 MB', async () => {
    const run = await timedTransfer(pair.customer, pair.technician, path.join(pair.folders.customer, 'source.bin'), SIZE, 'files', watch());
    console.log(`customer -> technician: ${(SIZE / 1024 ** 2 / (run.ms / 1000)).toFixed(1)} MiB/s, peak RSS KiB ${JSON.stringify(run.peakKiB)}`);
    expect(run.receiver?.info).toMatchObject({ state: 'completed', sha256: expected });
    expect(await sha256File(path.join(pair.folders.technician, 'source.bin'))).toBe(expected);
    for (const [name, kib] of Object.entries(run.peakKiB)) expect(kib, `${name} peak RSS`).toBeLessThan(LIMIT_KIB);
  }, 300_000);
});
