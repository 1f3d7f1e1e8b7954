import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '@fernhilfe/protocol';

export type Loaded<T> = { status: 'loading' } | { status: 'ready'; value: T } | { status: 'failed'; code: string; message: string };

/** Runs `load` on mount and whenever `reload()` is called; keeps the last answer or the failure. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): [Loaded<T>, () => void] {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  const [round, setRound] = useState(0);
  const run = useCallback(load, deps);
  useEffect(() => {
    let live = true;
    run().then(
      (value) => live && setState({ status: 'ready', value }),
      (err: unknown) => live && setState({ status: 'failed', ...describe(err) }),
    );
    return () => {
      live = false;
    };
  }, [run, round]);
  return [state, () => setRound((r) => r + 1)];
}

export function describe(err: unknown): { code: string; message: string } {
  if (err instanceof ApiError) return { code: err.code, message: err.detail };
  return { code: 'unknown', message: err instanceof Error ? err.message : String(err) };
}
