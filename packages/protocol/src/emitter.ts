/**
 * A small typed event emitter (works the same in Node and browsers).
 *
 * Policy for a listener that throws: the error is never swallowed and never breaks the emitter. Every
 * other listener still runs; the error goes to `onListenerError` (by default `console.error`, with the
 * event's name), because the code that emitted has no way to handle a listener's bug and must not be
 * cut short by it. A subclass that has a logger passes it as the constructor's reporter.
 */
export type ListenerErrorReporter = (event: string, error: unknown) => void;

const reportToConsole: ListenerErrorReporter = (event, error) => {
  console.error(`a listener for "${event}" threw`, error);
};

export class Emitter<Events extends Record<string, unknown>> {
  private readonly listeners = new Map<keyof Events, Set<(value: never) => void>>();

  constructor(private readonly onListenerError: ListenerErrorReporter = reportToConsole) {}

  on<K extends keyof Events>(event: K, listener: (value: Events[K]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (value: never) => void);
    return () => set.delete(listener as (value: never) => void);
  }

  once<K extends keyof Events>(event: K): Promise<Events[K]> {
    return new Promise((resolve) => {
      const off = this.on(event, (v) => {
        off();
        resolve(v);
      });
    });
  }

  protected emit<K extends keyof Events>(event: K, value: Events[K]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) {
      try {
        (listener as (v: Events[K]) => void)(value);
      } catch (error) {
        this.onListenerError(String(event), error);
      }
    }
  }
}
