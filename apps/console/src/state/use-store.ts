import { useSyncExternalStore } from 'react';
import type { Store } from './store';

/** Reads a part of a store in a component; re-renders when that part changes (compared by identity). */
export function useStore<S extends object, T>(store: Store<S>, select: (state: S) => T): T {
  return useSyncExternalStore(store.subscribe, () => select(store.get()));
}
