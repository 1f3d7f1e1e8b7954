/**
 * The customer's system clipboard (text only), one implementation per platform: x11-clipboard.ts
 * for Linux/X11 (the CLIPBOARD selection). Windows and macOS can fill the same shape later.
 */
export interface ClipboardBackend {
  /** Calls `listener` with the new text whenever another application copies text (not for our own writes). */
  onChange(listener: (text: string) => void): () => void;
  /** Makes `text` the clipboard's content (the customer can paste it anywhere). */
  write(text: string): Promise<void>;
  /** The clipboard's current text, or undefined when it holds none (or no text). */
  read(): Promise<string | undefined>;
  close(): Promise<void>;
}
