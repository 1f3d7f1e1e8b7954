import { InvariantError } from '@fernhilfe/protocol';
import { createContext, useContext, useSyncExternalStore } from 'react';
import type { Branding } from '@fernhilfe/protocol';
import type { SessionState } from './session-state.js';
import type { SessionStore } from './session-store.js';

export const StoreContext = createContext<SessionStore | null>(null);
export const BrandingContext = createContext<Branding | null>(null);

export function useStore(): SessionStore {
  const store = useContext(StoreContext);
  if (!store) throw new InvariantError('useStore() outside <StoreContext.Provider>');
  return store;
}

/** The current session state; the component re-renders when it changes. */
export function useSessionState(): SessionState {
  const store = useStore();
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}

export function useBranding(): Branding {
  const branding = useContext(BrandingContext);
  if (!branding) throw new InvariantError('useBranding() outside <BrandingContext.Provider>');
  return branding;
}
