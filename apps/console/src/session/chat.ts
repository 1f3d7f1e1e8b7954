export interface ChatEntry {
  id: number;
  from: 'technician' | 'customer';
  text: string;
  /** ms since the epoch */
  at: number;
  /** a message of ours that could not be sent */
  failed?: boolean;
}

/** The protocol's limit for one chat message. */
export const MAX_CHAT_LENGTH = 4000;

/**
 * The chat of one session: what came in, what we sent. Texts stay plain strings; the UI renders them
 * as text nodes only.
 */
export class ChatLog {
  private entries: readonly ChatEntry[] = [];
  private nextId = 1;

  constructor(
    private readonly transmit: (text: string) => Promise<void>,
    private readonly onChange: (entries: readonly ChatEntry[]) => void,
    private readonly now: () => number = () => Date.now(),
  ) {}

  get all(): readonly ChatEntry[] {
    return this.entries;
  }

  handleIncoming(text: string): void {
    this.append({ from: 'customer', text });
  }

  /** Sends a message; false when there was nothing to send or it could not be sent. */
  async send(input: string): Promise<boolean> {
    const text = input.trim().slice(0, MAX_CHAT_LENGTH);
    if (!text) return false;
    const id = this.append({ from: 'technician', text });
    try {
      await this.transmit(text);
      return true;
    } catch {
      this.entries = this.entries.map((e) => (e.id === id ? { ...e, failed: true } : e));
      this.onChange(this.entries);
      return false;
    }
  }

  private append(entry: Pick<ChatEntry, 'from' | 'text'>): number {
    const id = this.nextId++;
    this.entries = [...this.entries, { ...entry, id, at: this.now() }];
    this.onChange(this.entries);
    return id;
  }
}
