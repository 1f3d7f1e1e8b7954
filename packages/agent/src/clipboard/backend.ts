import { FernhilfeError } from '@fernhilfe/protocol';

/** Another program kept (or took back) the clipboard while we tried to own it. */
export class ClipboardError extends FernhilfeError<'not-owner'> {
  override readonly name = 'ClipboardError';
}

/**
 * The customer's system clipboard (text only), one implementation per platform: x11-clipboard.ts
 * for Linux/X11 (the CLIPBOARD selection). Windows and macOS can fill the same shape later.
 */
export interface ClipboardBackend {
  /**
   * Calls `listener` whenever another application copies (not for our own writes). Nothing is read
   * until the listener calls `read()`: what the customer copies while sharing is off is never read.
   * Reads run one at a time, in order.
   */
  onCopy(listener: (read: () => Promise<string | undefined>) => void): () => void;
  /** Makes `text` the clipboard's content (the customer can paste it anywhere). */
  write(text: string): Promise<void>;
  /** The clipboard's current text, or undefined when it holds none (or no text). */
  read(): Promise<string | undefined>;
  close(): Promise<void>;
}
