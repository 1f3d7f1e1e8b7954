import { spawnProgram } from '@fernhilfe/programs';
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { stopChild } from './child.js';
import { cpuMsByPid, listProcesses, processCpuMs, processTree, rssKiB } from './proc.js';

describe('the /proc readers', () => {
  let child: ChildProcess | undefined;
  afterEach(() => stopChild(child));

  it('find a real child in the process table and below this process, with its memory and CPU time', () => {
    const marker = `testkit-proc-${process.pid}-${Date.now()}`;
    child = spawnProgram({ file: process.execPath }, ['-e', `setInterval(() => {}, 1000); // ${marker}`], { stdio: 'ignore' });
    const pid = child.pid!;

    const entry = listProcesses().find((p) => p.pid === pid);
    expect(entry?.ppid).toBe(process.pid);
    expect(entry?.cmdline).toContain(marker);

    expect(processTree(process.pid)).toContain(pid);
    expect(processTree(pid)).toEqual([pid]);
    expect(rssKiB(pid)).toBeGreaterThan(0);
    expect(processCpuMs(pid)).toBeGreaterThanOrEqual(0);
    expect([...cpuMsByPid([pid]).keys()]).toEqual([pid]);
  });

  it('stopChild ends the child and resolves once it has exited; the readers then leave it out', async () => {
    child = spawnProgram({ file: process.execPath }, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const pid = child.pid!;
    await stopChild(child);
    expect(child.exitCode !== null || child.signalCode !== null).toBe(true);
    expect(listProcesses().some((p) => p.pid === pid)).toBe(false);
    expect(cpuMsByPid([pid]).size, 'a process that is gone is left out').toBe(0);
  });
});
