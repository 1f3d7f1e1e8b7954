import { hostBusyMs } from '@fernhilfe/testkit';
import type { ServerProcess } from './server-process.js';

/** CPU use over a window, % of one core (100 % = one core fully busy). */
export interface CpuUsage {
  /** the server child (undefined when no server was involved) */
  server: number | undefined;
  /** the bench process, all threads */
  bench: number;
  /** everything else on the host: busy time from /proc/stat minus the two above */
  other: number;
}

/** Measures CPU use between construction and end(). */
export class CpuWindow {
  private readonly at = performance.now();
  private readonly server0: number | undefined;
  private readonly bench0 = benchCpuMs();
  private readonly host0 = hostBusyMs();

  constructor(private readonly server: ServerProcess | undefined) {
    this.server0 = server?.cpuMs();
  }

  end(): CpuUsage {
    const wall = performance.now() - this.at;
    const server = this.server && this.server0 !== undefined ? this.server.cpuMs() - this.server0 : 0;
    const bench = benchCpuMs() - this.bench0;
    const host = hostBusyMs() - this.host0;
    const pct = (ms: number) => (ms / wall) * 100;
    return { server: this.server ? pct(server) : undefined, bench: pct(bench), other: Math.max(0, pct(host - server - bench)) };
  }
}

function benchCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
