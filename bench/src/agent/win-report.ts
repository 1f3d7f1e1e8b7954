import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { quantile } from './measure.js';
import type { WinBenchReport, WinRun } from './win-bench.js';
import { WIN_WORKLOADS, type WinEncodeRun } from './win-encode.js';

/** median [min–max] over the runs */
export function spread(xs: number[], digits = 1): string {
  if (xs.length === 0) return '–';
  const s = [...xs].sort((a, b) => a - b);
  const f = (n: number) => n.toFixed(digits);
  return s.length === 1 ? f(s[0]!) : `${f(quantile(s, 0.5)!)} [${f(s[0]!)}–${f(s.at(-1)!)}]`;
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

export function formatWinTable(r: WinBenchReport): string {
  const runs = r.runs;
  const of = (pick: (x: WinRun) => number | undefined) => spread(runs.map(pick).filter((n): n is number => n !== undefined));
  const first = runs[0];
  const workloadRow = (w: (typeof WIN_WORKLOADS)[number]) => {
    const these = r.encoded.filter((e) => e.workload === w.mode);
    const enc = (pick: (x: WinEncodeRun) => number | undefined) => spread(these.map(pick).filter((n): n is number => n !== undefined));
    return `| ${w.name}: ${w.description} | ${enc((e) => e.fps)} | ${enc((e) => e.videoBytesPerSec / 1024)} | ${enc((e) => e.cpuNode + e.cpuEncoder)} = ${enc((e) => e.cpuNode)} + ${enc((e) => e.cpuEncoder)} | ${enc((e) => e.cpuXvfb)} | ${enc((e) => e.grabMsMedian)} / ${enc((e) => e.encodeMsMedian)} |`;
  };
  const p = r.program;
  return [
    `Windows agent capture benchmark (${r.screen}${r.smoke ? ', SMOKE run: short phases, figures rough' : ''}), ${r.when}`,
    `host busy before the run (other processes): ${r.hostLoadBefore.toFixed(0)} % of one core; ${runs.length} run(s), each phase ${r.phaseSeconds} s; median [min–max] over runs`,
    `capture method: ${first?.method ?? '–'} (${first?.methodReason ?? 'no reason given'})`,
    '',
    'GDI under wine is NOT Windows\' speed: wine turns a BitBlt of the desktop into X GetImage calls on Xvfb,',
    'so these figures describe this test set-up. Target on real Windows (not measured here): 30 fps at 1080p',
    'under 30 % of one core with Desktop Duplication.',
    '',
    '## The capture alone',
    '',
    '| what | value |',
    '|---|---|',
    `| full ${first?.width ?? '?'}x${first?.height ?? '?'} grab (BitBlt + compare), ms (median of each run) | ${of((x) => quantile(x.fullGrabMs, 0.5))} |`,
    `| full grab, p90 ms | ${of((x) => quantile(x.fullGrabMs, 0.9))} |`,
    `| Windows Node alone (capture closed, after the phases below), % of one core | ${of((x) => x.baseline.node)} (Xvfb ${of((x) => x.baseline.xvfb)}) |`,
    `| still desktop, capture open (1 poll/s), % of one core | ${of((x) => x.idle.node)} (Xvfb ${of((x) => x.idle.xvfb)}) |`,
    `| still desktop: frames (settle + idle) | ${of((x) => x.idle.frames)} |`,
    `| moving 400x300 block: frames/s captured | ${of((x) => x.motion.fps)} |`,
    `| moving block: grab ms (median) | ${of((x) => x.motion.grabMsMedian)} |`,
    `| moving block: capture process, % of one core | ${of((x) => x.motion.node)} (Xvfb ${of((x) => x.motion.xvfb)}) |`,
    '',
    '## The four workloads, encoded (screen feature + fernhilfe-encoder.exe)',
    '',
    '| workload | frames/s | video KiB/s | % of one core: Node + encoder | Xvfb % | grab / encode ms (median) |',
    '|---|---|---|---|---|---|',
    ...WIN_WORKLOADS.map(workloadRow),
    '',
    'CPU from /proc of the node.exe process under wine, of fernhilfe-encoder.exe and of Xvfb (which does the pixel',
    'reads for wine). The viewer acknowledges every frame at once (in-process): capture + encode, no network or crypto.',
    `Each workload: a fresh screen feature, ${r.smoke ? 3 : 8} s of warm-up, then ${r.phaseSeconds} s measured from the workload's first change.`,
    '',
    '## The program',
    '',
    p
      ? [
          '| what | value |',
          '|---|---|',
          `| fernhilfe-quicksupport.exe (unsigned; Authenticode adds a few KiB) | ${mib(p.bytes)} (${p.bytes} bytes) |`,
          `| start-up under wine (measureStartup of packages/agent/build/measure.mjs) | ${p.startup} |`,
          '',
          'Start-up under wine is NOT Windows\' speed: most of it is wine starting a process (compare node.exe --version).',
        ].join('\n')
      : 'Size and start-up: not measured in a smoke run (the full run builds the program, cached per set of sources).',
  ].join('\n');
}

export function writeWinReport(r: WinBenchReport, dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'agent-win-x64.json'), JSON.stringify(r, null, 2) + '\n');
  writeFileSync(path.join(dir, 'agent-win-x64.md'), `# Windows agent capture benchmark\n\n\`npm run bench:agent -- --platform win-x64\`\n\n${formatWinTable(r)}\n`);
}
