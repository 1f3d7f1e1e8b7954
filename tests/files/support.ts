import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bindFileTransfers, type FileTransfers, type TransferInfo } from '@fernhilfe/client';
import { FileFeature } from '@fernhilfe/agent';
import { FrameKind } from '@fernhilfe/protocol';
import { runFeatures } from '../../packages/agent/src/session/wiring.js';
import { startCutProxy, controlMessages, type CutProxy, type Side } from '../support/cut-proxy.js';
import { establish, within } from '../support/resume-kit.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * A real server, a cut proxy in front of it, and a session whose customer runs the agent's FileFeature
 * (saving into a fresh folder) and whose technician has a FileTransfers manager. Dispose to clean up.
 */
export async function fileSession(opts: { chunkSize?: number; env?: Record<string, string> } = {}) {
  const srv: TestServer = await startTestServer(opts.env);
  const proxy: CutProxy = await startCutProxy(srv.url);
  const work = mkdtempSync(path.join(tmpdir(), 'fernhilfe-files-'));
  const folder = path.join(work, 'Downloads');
  await import('node:fs/promises').then((fs) => fs.mkdir(folder));
  const s = await establish(srv, proxy);
  const tuning = opts.chunkSize ? { chunkSize: opts.chunkSize } : {};
  // the agent's wiring gives features sendControl/sendData; the audit report goes to the session directly
  const feature = new FileFeature({ folder, report: (r) => s.custSession.report(r), ...tuning });
  const stopFeatures = runFeatures(s.custSession, [feature], { error: () => undefined });
  // as the agent app does: the operator's policy from the server's `registered` (agent-files.ts)
  if (s.custSession.filePolicy) feature.setPolicy(s.custSession.filePolicy);
  const tech: FileTransfers = bindFileTransfers(s.techSession, tuning).files;
  const dispose = async () => {
    await stopFeatures();
    await s.techSession.end().catch(() => undefined);
    await proxy.close();
    await srv.close();
    rmSync(work, { recursive: true, force: true });
  };
  return { ...s, srv, proxy, work, folder, feature, tech, [Symbol.asyncDispose]: dispose };
}

export const isEnd = (i: TransferInfo) => ['completed', 'refused', 'cancelled', 'failed'].includes(i.state);

/** Resolves with the first update of transfer `id` (or any, when undefined) that satisfies `pred`. */
export function whenTransfer(emitter: { on(e: 'update', fn: (i: TransferInfo) => void): () => void }, pred: (i: TransferInfo) => boolean, ms = 60_000): Promise<TransferInfo> {
  return within(
    new Promise<TransferInfo>((resolve) => {
      const off = emitter.on('update', (i) => {
        if (pred(i)) {
          off();
          resolve(i);
        }
      });
    }),
    ms,
    'a transfer update',
  );
}

/** Every entry of `folder`, hidden temporary files included. */
export const entries = (folder: string) => readdirSync(folder).sort();

/** The audit reports (`report` control messages) one side sent to the server through the proxy. */
export function reportsSent(proxy: CutProxy, side: Side): Record<string, unknown>[] {
  return proxy
    .connections(side)
    .flatMap((c) => controlMessages(c.endpointFrames()))
    .filter((m) => m.type === 'report')
    .map((m) => m.report as Record<string, unknown>);
}

/** Sizes of the PEER frames one side put on the wire, over all its connections (sealed frames, acks). */
export function peerFrameSizes(proxy: CutProxy, side: Side): number[] {
  return proxy
    .connections(side)
    .flatMap((c) => c.endpointFrames())
    .filter((f) => f.kind === FrameKind.peer)
    .map((f) => f.body.length);
}
