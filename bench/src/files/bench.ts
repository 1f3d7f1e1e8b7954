import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { markdownTable, type Row } from '../report.js';
import { ServerProcess } from '../server-process.js';
import { sha256File, writePrngFile, makeTempDir, removeDir } from '@fernhilfe/testkit';
import { startProcessPair, timedTransfer, type TransferRun } from './run-pair.js';
import { RESULTS_DIR } from '../paths.js';
import { BenchError } from '../errors.js';

const LOGIN = 'bench-files';
const MIB = 1024 * 1024;

export interface FilesBenchPlan {
  smoke: boolean;
  /** encrypted and unencrypted technician → customer runs alternate this often; the ratio compares medians */
  rounds: number;
  /** the main run: this many bytes each way, encrypted and raw */
  bytes: number;
  chunk: number;
  /** the chunk size sweep (smaller file) */
  sweepBytes: number;
  sweepChunks: number[];
}

export const filesPlan = (smoke: boolean): FilesBenchPlan =>
  smoke
    ? { smoke, rounds: 1, bytes: 16 * MIB, chunk: 512 * 1024, sweepBytes: 8 * MIB, sweepChunks: [64 * 1024, 1000 * 1024] }
    : { smoke, rounds: 3, bytes: 1024 * MIB, chunk: 512 * 1024, sweepBytes: 256 * MIB, sweepChunks: [128 * 1024, 256 * 1024, 512 * 1024, 1000 * 1024] };

interface Measured {
  label: string;
  chunk: number;
  bytes: number;
  run: TransferRun;
}

/**
 * `npm run bench:files` (`node bench/dist/cli.js files`): file transfer through the loopback relay (the real server as a child
 * process, each endpoint its own process with the agent's file source and folder sink), against the
 * same bytes sent unencrypted as raw PEER frames over the same WebSocket path. Prints a table and
 * writes bench/results/files.{md,json} (a temporary directory with --smoke).
 */
export async function benchFiles(opts: { smoke: boolean }): Promise<void> {
  const plan = filesPlan(opts.smoke);
  const password = randomBytes(12).toString('hex');
  const work = makeTempDir('bench-files');
  const measured: Measured[] = [];
  try {
    await using server = await ServerProcess.start({ login: LOGIN, password });
    const source = path.join(work, 'source.bin');
    await writePrngFile(source, plan.bytes, 'bench');
    const expected = await sha256File(source);
    const runPair = async (chunk: number, work2: string, steps: (p: Awaited<ReturnType<typeof startProcessPair>>) => Promise<void>) => {
      const pair = await startProcessPair({ serverUrl: server.url, login: LOGIN, password, workDir: work2, chunkSize: chunk });
      try {
        await steps(pair);
      } finally {
        await pair.stop();
      }
    };
    // encrypted and unencrypted alternate, so that both meet the same load of this shared machine
    for (let round = 0; round < plan.rounds; round++) {
      await runPair(plan.chunk, path.join(work, `main-${round}`), async (pair) => {
        const watch = { server: server.pid, customer: pair.customer.pid, technician: pair.technician.pid };
        const down = await timedTransfer(pair.technician, pair.customer, source, plan.bytes, 'files', watch);
        check(down, expected);
        measured.push({ label: DOWN, chunk: plan.chunk, bytes: plan.bytes, run: down });
        const received = path.join(pair.folders.customer, 'source.bin');
        if (round === 0) {
          const up = await timedTransfer(pair.customer, pair.technician, received, plan.bytes, 'files', watch);
          check(up, expected);
          measured.push({ label: 'encrypted file transfer, customer → technician', chunk: plan.chunk, bytes: plan.bytes, run: up });
          rmSync(path.join(pair.folders.technician, 'source.bin'), { force: true });
        }
        rmSync(received, { force: true });
      });
      // the baseline in a pair of its own: its receiver buffers without backpressure, which must not count for the encrypted runs
      await runPair(plan.chunk, path.join(work, `raw-${round}`), async (pair) => {
        const watch = { server: server.pid, customer: pair.customer.pid, technician: pair.technician.pid };
        const raw = await timedTransfer(pair.technician, pair.customer, source, plan.bytes, 'raw', watch, path.join(work, 'raw.bin'));
        rmSync(path.join(work, 'raw.bin'), { force: true });
        measured.push({ label: RAW, chunk: plan.chunk, bytes: plan.bytes, run: raw });
      });
    }
    const small = path.join(work, 'sweep.bin');
    await writePrngFile(small, plan.sweepBytes, 'sweep');
    const sweepHash = await sha256File(small);
    for (const chunk of plan.sweepChunks) {
      await runPair(chunk, path.join(work, `sweep-${chunk}`), async (pair) => {
        const watch = { server: server.pid, customer: pair.customer.pid, technician: pair.technician.pid };
        const run = await timedTransfer(pair.technician, pair.customer, small, plan.sweepBytes, 'files', watch);
        check(run, sweepHash);
        measured.push({ label: `sweep: ${chunk / 1024} KiB chunks, technician → customer`, chunk, bytes: plan.sweepBytes, run });
      });
    }
  } finally {
    removeDir(work);
  }
  const table = markdownTable(rows(measured));
  process.stdout.write(`${table}\n`);
  const outDir = plan.smoke ? makeTempDir('bench-smoke') : RESULTS_DIR;
  writeResults(outDir, plan, measured, table);
  process.stdout.write(`results written to ${outDir}\n`);
}

function check(run: TransferRun, sha256: string): void {
  const info = run.receiver?.info as { state?: string; sha256?: string } | undefined;
  if (info?.state !== 'completed' || info.sha256 !== sha256) throw new BenchError('result', `the transfer did not complete with the right hash: ${JSON.stringify(info)}`);
}

const DOWN = 'encrypted file transfer, technician → customer';
const RAW = 'unencrypted, technician → customer';
const rate = (m: Measured) => m.bytes / MIB / (m.run.ms / 1000);
/** the run with the median speed (the lower middle one for an even count) */
function median(runs: Measured[]): Measured {
  const sorted = [...runs].sort((a, b) => rate(a) - rate(b));
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}
const mb = (kib: number | undefined) => `${((kib ?? Number.NaN) / 1024).toFixed(0)} MiB`;

function rows(measured: Measured[]): Row[] {
  const out: Row[] = [];
  const raws = measured.filter((m) => m.label === RAW);
  const downs = measured.filter((m) => m.label === DOWN);
  const raw = median(raws);
  const down = median(downs);
  const each = (runs: Measured[]) => (runs.length > 1 ? ` (median of ${runs.map((m) => rate(m).toFixed(1)).join(', ')})` : '');
  out.push({ metric: `${RAW}, ${(raw.bytes / MIB).toFixed(0)} MiB`, value: `${rate(raw).toFixed(1)} MiB/s${each(raws)}`, goal: '–', met: '–' });
  out.push({ metric: `${DOWN}, ${(down.bytes / MIB).toFixed(0)} MiB`, value: `${rate(down).toFixed(1)} MiB/s${each(downs)}`, goal: '–', met: '–' });
  for (const m of measured.filter((x) => x.label !== RAW && x.label !== DOWN)) {
    out.push({ metric: `${m.label}, ${(m.bytes / MIB).toFixed(0)} MiB`, value: `${rate(m).toFixed(1)} MiB/s`, goal: '–', met: '–' });
  }
  const ratio = rate(down) / rate(raw);
  out.push({ metric: 'Encrypted / unencrypted throughput (technician → customer)', value: ratio.toFixed(2), goal: '≥ 0.7', met: ratio >= 0.7 ? 'yes' : 'NO' });
  // CPU time per MiB: what each process spent, which the machine's other load disturbs far less than the wall clock
  const perMib = (m: Measured, who: string) => (m.run.cpuMs[who] ?? Number.NaN) / (m.bytes / MIB);
  for (const m of [raw, down]) {
    const each = (['technician', 'customer', 'server'] as const).map((who) => `${who} ${perMib(m, who).toFixed(1)}`).join(', ');
    out.push({ metric: `CPU ms per MiB, ${m.label}`, value: each, goal: '–', met: '–' });
  }
  const busiest = (m: Measured) => Math.max(perMib(m, 'technician'), perMib(m, 'customer'), perMib(m, 'server'));
  out.push({ metric: 'Unencrypted / encrypted CPU per MiB of the busiest process (the throughput a free core would allow)', value: (busiest(raw) / busiest(down)).toFixed(2), goal: '–', met: '–' });
  const total = (m: Measured) => perMib(m, 'technician') + perMib(m, 'customer') + perMib(m, 'server');
  out.push({ metric: 'Unencrypted / encrypted CPU per MiB of all three processes (the throughput two busy cores allow)', value: (total(raw) / total(down)).toFixed(2), goal: '–', met: '–' });
  for (const who of ['server', 'technician', 'customer'] as const) {
    const peak = Math.max(...measured.filter((m) => m.label.startsWith('encrypted')).map((m) => m.run.peakKiB[who] ?? 0));
    out.push({ metric: `RSS high-water, ${who} (encrypted runs)`, value: mb(peak), goal: '< 200 MB', met: peak * 1024 < 200e6 ? 'yes' : 'NO' });
  }
  for (const who of ['server', 'technician', 'customer'] as const) {
    out.push({ metric: `RSS high-water, ${who} (unencrypted run)`, value: mb(Math.max(...raws.map((m) => m.run.peakKiB[who] ?? 0))), goal: '–', met: '–' });
  }
  return out;
}

const METHOD = `How each figure was measured
- The server is the real \`fernhilfe start\` as a child process (SQLite in a fresh DATA_DIR); the customer and the
  technician are each their own Node process (bench/src/files/endpoint-main.ts) over \`ws\` through the
  server's relay on 127.0.0.1, so each RSS high-water mark (VmRSS sampled every 100 ms) is that process's alone.
- The file is a seeded pseudo-random stream (AES-128-CTR) written to a temporary folder first. The encrypted run is
  the real feature: the agent's file source reads 512 KiB chunks lazily, FileTransfers seals them in the session
  (AES-256-GCM), hashes them (SHA-256 from node:crypto), at most 16 chunks (8 MiB) beyond the last file-ack; the
  receiver writes with the agent's folder sink (temporary name, fsync, rename after the hash matched). Timed from the
  send command until the receiver reported the file verified and renamed.
- The unencrypted run sends the same file in the same chunk size as raw PEER frames on the same WebSocket
  connections through the same relay (no sealing, no acks, no hashing), read from and written to disk the same way,
  with the session's own high-water mark (1 MiB buffered) for backpressure. Timed until the last byte was written.
- The unencrypted run uses its own pair of endpoint processes (after the encrypted runs), so that its
  receiver's memory (it buffers disk writes without backpressure) does not show in the encrypted rows.
- Encrypted and unencrypted technician → customer runs alternate three times (a new pair each); the table shows
  the median of each with all three figures, and the ratio compares the medians.
- The sweep repeats the encrypted transfer with other chunk sizes (a new pair of endpoints each).
- CPU ms per MiB: user + system time of each process (all its threads, /proc/<pid>/stat) during the run, divided
  by the MiB moved. The machine is shared, so wall-clock figures vary a lot from run to run (by 2× under load); the
  CPU figures much less.
- Everything shares the machine's cores; figures vary by 10–20 % from run to run on an idle machine.`;

function writeResults(dir: string, plan: FilesBenchPlan, measured: Measured[], table: string): void {
  mkdirSync(dir, { recursive: true });
  const environment = { node: process.versions.node, platform: `${process.platform} ${process.arch}`, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown' };
  const date = new Date().toISOString();
  const results = measured.map((m) => ({ label: m.label, chunk: m.chunk, bytes: m.bytes, ms: Math.round(m.run.ms), mibPerSecond: Number(rate(m).toFixed(2)), peakRssKiB: m.run.peakKiB, cpuMs: m.run.cpuMs }));
  writeFileSync(path.join(dir, 'files.json'), JSON.stringify({ date, environment, plan, results }, null, 2) + '\n');
  const md = ['# File transfer benchmark', '', `\`npm run bench:files\`, ${date}, Node ${environment.node}, ${environment.cpus} × ${environment.cpuModel}.`, '', table, '', METHOD, ''].join('\n');
  writeFileSync(path.join(dir, 'files.md'), md);
}
