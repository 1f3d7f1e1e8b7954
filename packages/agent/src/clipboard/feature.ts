import { CLIPBOARD_MAX_BYTES, encodeJson, utf8Length, type ControlMessage } from '@fernhilfe/protocol';
import type { Consent } from '../consent/consent.js';
import type { AgentFeature, SessionPort } from '../session/feature.js';
import type { ClipboardBackend } from '../platform/types.js';

/** One control frame carries at most 1 MiB; the JSON of the text must fit. */
const MAX_FRAME = 1024 * 1024;

export interface ClipboardLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface ClipboardFeatureOptions {
  consent: Consent;
  /** opens the platform's clipboard (platform/types.ts; chosen by the table in platform/index.ts) */
  openClipboard: () => Promise<ClipboardBackend>;
  log?: ClipboardLog;
}

/**
 * Clipboard text both ways, only while the customer allows it. What the customer copies after allowing
 * goes to the technician (`clipboard-text`); what the technician sends becomes the customer's
 * clipboard. Before the grant and after a revoke nothing is read or written: incoming text is dropped.
 * What was on the clipboard before the grant is never sent.
 */
export class ClipboardFeature implements AgentFeature {
  readonly name = 'clipboard';
  private backend: ClipboardBackend | undefined;
  private port: SessionPort | undefined;
  private readonly offs: (() => void)[] = [];
  /** the last text that came from the technician: copying it back is no news */
  private fromTechnician: string | undefined;
  private writing: Promise<void> = Promise.resolve();
  private stopping = false;
  /** counts every change of the clipboard grant: a read that started under another grant is not sent */
  private grant = 0;

  constructor(private readonly opts: ClipboardFeatureOptions) {}

  async start(port: SessionPort): Promise<void> {
    this.port = port;
    let granted = this.opts.consent.isGranted('clipboard');
    this.offs.push(
      this.opts.consent.on('changed', (state) => {
        if (state.clipboard !== granted) this.grant++;
        granted = state.clipboard;
      }),
    );
    // text from the technician that comes while the clipboard is still opening waits for it (not dropped)
    const opening = this.opts.openClipboard();
    this.writing = opening.then(
      async (backend) => {
        if (this.stopping) return void (await backend.close().catch(() => undefined)); // ended meanwhile
        this.backend = backend;
        this.offs.push(backend.onCopy((read) => void this.onLocalCopy(read)));
      },
      () => undefined,
    );
    await opening;
    await this.writing;
  }

  handleControl(message: ControlMessage): void {
    if (message.type !== 'clipboard-text' || !this.opts.consent.isGranted('clipboard') || this.stopping) return;
    this.fromTechnician = message.text;
    this.writing = this.writing.then(() => this.backend?.write(message.text)).catch((err: unknown) => this.opts.log?.error({ err }, 'setting the clipboard failed'));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const off of this.offs.splice(0)) off();
    const backend = this.backend;
    this.backend = undefined;
    await this.writing;
    await backend?.close().catch((err: unknown) => this.opts.log?.error({ err }, 'closing the clipboard failed'));
  }

  /**
   * The customer copied: read it only while sharing is allowed, and send it only if the same grant
   * still holds when the (asynchronous, possibly slow) read ends: a revoke during the read, even one
   * followed by a new allow, means the copy is not shared.
   */
  private async onLocalCopy(read: () => Promise<string | undefined>): Promise<void> {
    if (!this.opts.consent.isGranted('clipboard') || this.stopping) return;
    const grant = this.grant;
    const text = await read();
    if (text === undefined || grant !== this.grant || !this.opts.consent.isGranted('clipboard') || this.stopping) return;
    if (!this.port || text === this.fromTechnician) return;
    const message: ControlMessage = { type: 'clipboard-text', text };
    if (utf8Length(text) > CLIPBOARD_MAX_BYTES || encodeJson(message).length > MAX_FRAME) {
      this.opts.log?.warn({ bytes: utf8Length(text) }, 'clipboard text too large to share');
      return;
    }
    void this.port.sendControl(message).catch(() => undefined);
  }
}

export const clipboardFeature = (opts: ClipboardFeatureOptions): ClipboardFeature => new ClipboardFeature(opts);
