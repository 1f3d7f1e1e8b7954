import type { Browser, Page } from 'playwright-core';
import { readCounters } from '../browser-probe.js';
import { BenchError } from '../errors.js';

/** One remote-desktop stack connected to the X screen, with a viewer page in headless Chromium. */
export interface Connection {
  /** the viewer page; its canvas has data-testid="viewer-canvas" and the bench's page counters */
  page: Page;
  /** from the viewer's connect action to the first picture drawn, ms */
  firstFrameMs: number;
  /** the processes on the customer's side (capture, encoding) and in the middle (server or proxy) */
  capturePids(): number[];
  relayPids(): number[];
  /** payload bytes that reached the viewer so far */
  bytesToViewer(): Promise<number>;
  close(): Promise<void>;
}

export interface Stack {
  readonly name: 'Fernhilfe' | 'noVNC';
  /** what runs, for the report */
  readonly description: string;
  /** the viewer page's origin (the technician's Chromium treats it as secure) */
  readonly origin: string;
  /** the technician's browser, launched once both stacks' origins are known */
  attach(browser: Browser): Promise<void>;
  connect(): Promise<Connection>;
  stop(): Promise<void>;
}

/** % of one core used by the processes between two snapshots over `wallMs`. */
export function cpuPercent(before: Map<number, number>, after: Map<number, number>, wallMs: number): number {
  let ms = 0;
  for (const [pid, end] of after) ms += Math.max(0, end - (before.get(pid) ?? end));
  return (ms / wallMs) * 100;
}

/** Waits until `viewer` has drawn its first picture on `page` (20 s at most); ms since `started`. */
export async function firstFrameAfter(page: Page, started: number, viewer: string): Promise<number> {
  const deadline = started + 20_000;
  while ((await readCounters(page)).frames === 0) {
    if (performance.now() > deadline) throw new BenchError('timeout', `${viewer} drew no picture within 20 s`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return performance.now() - started;
}
