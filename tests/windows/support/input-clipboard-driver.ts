import { readdirSync } from 'node:fs';
import path from 'node:path';
import { safeFileName } from '@fernhilfe/protocol';
import { FolderSink } from '../../../packages/agent/src/files/folder-sink.js';
import type { ClipboardBackend } from '../../../packages/agent/src/platform/types.js';
import { clipboardFeature } from '../../../packages/agent/src/clipboard/feature.js';
import { Consent } from '../../../packages/agent/src/consent/consent.js';
import { windows } from '../../../packages/agent/src/platform/windows/index.js';

/** The clipboard and Downloads part of input-driver.ts (Windows side). */
export function clipboardHandlers(clipboard: () => ClipboardBackend) {
  const copies: (string | undefined)[] = [];
  let featureState: { consent: Consent; reads: number; sent: string[] } | undefined;
  let off: (() => void) | undefined;
  return {
    clipboardWrite: (text: string) => clipboard().write(text),
    clipboardRead: () => clipboard().read(),
    /** from now on every copy elsewhere is read and kept (as the clipboard feature does while sharing is allowed) */
    clipboardListen: () => {
      off ??= clipboard().onCopy((read) => void read().then((t) => copies.push(t)));
    },
    clipboardUnlisten: () => {
      off?.();
      off = undefined;
    },
    clipboardCopies: () => copies,
    /**
     * The clipboard feature on this backend, as the agent runs it: what it sends to the technician
     * and how often it read the clipboard, with the grant given or taken back by `clipboardGrant`.
     */
    clipboardFeatureStart: async () => {
      const backend = clipboard();
      const counted: ClipboardBackend = { ...backend, onCopy: (l) => backend.onCopy((read) => l(() => ((feature.reads += 1), read()))), write: (t) => backend.write(t), read: () => backend.read(), close: () => Promise.resolve() };
      const consent = new Consent();
      const f = clipboardFeature({ consent, openClipboard: () => Promise.resolve(counted) });
      const feature = { consent, f, reads: 0, sent: [] as string[] };
      await f.start({ sendControl: (m) => Promise.resolve(void (m.type === 'clipboard-text' && feature.sent.push(m.text))), sendData: () => Promise.resolve() });
      featureState = feature;
    },
    clipboardGrant: (on: boolean) => (on ? featureState?.consent.allow('clipboard') : featureState?.consent.revoke('clipboard')),
    clipboardFeatureSeen: () => ({ reads: featureState?.reads, sent: featureState?.sent }),
    /**
     * A file from the technician into the Downloads folder the platform names, as the file feature
     * writes it: the sender's name made safe, FolderSink's temporary file, then the final name. With
     * `failAfter` the transfer breaks after that many bytes (aborted, as on a lost connection).
     */
    download: async (name: string, base64: string, failAfter?: number) => {
      const folder = windows.downloadsFolder?.(process.env);
      if (!folder) throw new Error('the platform names no Downloads folder');
      const bytes = Buffer.from(base64, 'base64');
      const sink = new FolderSink(folder);
      await sink.open(safeFileName(name));
      const half = failAfter ?? bytes.length;
      for (let at = 0; at < half; at += 4096) await sink.write(at, bytes.subarray(at, Math.min(half, at + 4096)));
      if (failAfter !== undefined) {
        const during = readdirSync(folder);
        await sink.abort();
        return { folder, during, final: undefined };
      }
      const final = await sink.commit();
      return { folder, final, path: path.join(folder, final) };
    },
  };
}
