import type { ChildProcess } from 'node:child_process';
import { spawnProgram } from '@fernhilfe/programs';
import { createInterface } from 'node:readline';
import { stopChild } from '@fernhilfe/testkit';
import { compiledPath } from '../paths.js';
import { BenchError } from '../errors.js';

const MAIN = compiledPath(new URL('./endpoint-main.js', import.meta.url));

export interface EndpointConfig {
  role: 'customer' | 'technician';
  url: string;
  termsVersion?: string;
  folder: string;
  chunkSize?: number;
  windowBytes?: number;
}

export type EndpointEvent = { event: string } & Record<string, unknown>;

/** An endpoint of the file bench as a child process (endpoint-main.ts), driven by JSON lines. */
export class EndpointProcess {
  private readonly events: EndpointEvent[] = [];
  private readonly waiters = new Set<() => void>();
  private exited: string | undefined;
  private stderr = '';

  private constructor(readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        this.events.push(JSON.parse(line) as EndpointEvent);
      } catch {
        return;
      }
      for (const w of [...this.waiters]) w();
    });
    child.stderr!.on('data', (b: Buffer) => (this.stderr = (this.stderr + b.toString()).slice(-4000)));
    child.on('exit', (code, signal) => {
      this.exited = `exit ${code ?? '-'} ${signal ?? ''}`;
      for (const w of [...this.waiters]) w();
    });
  }

  static start(config: EndpointConfig): EndpointProcess {
    return new EndpointProcess(spawnProgram({ file: process.execPath }, [MAIN, JSON.stringify(config)], { stdio: ['pipe', 'pipe', 'pipe'] }));
  }

  get pid(): number {
    return this.child.pid!;
  }

  send(command: object): void {
    this.child.stdin!.write(`${JSON.stringify(command)}\n`);
  }

  /** The first event (from the start) of that name matching `pred` that was not taken before. */
  next(event: string, timeoutMs = 120_000, pred: (e: EndpointEvent) => boolean = () => true): Promise<EndpointEvent> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const i = this.events.findIndex((e) => (e.event === event && pred(e)) || e.event === 'error');
        if (i >= 0) {
          const [e] = this.events.splice(i, 1);
          done();
          if (e!.event === 'error') reject(new BenchError('process', `endpoint: ${String(e!.message)}`));
          else resolve(e!);
        } else if (this.exited) {
          done();
          reject(new BenchError('process', `endpoint ended (${this.exited}) while waiting for ${event}: ${this.stderr}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new BenchError('timeout', `no ${event} from the endpoint within ${timeoutMs} ms: ${this.stderr}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    await stopChild(this.child);
  }
}
