import { InvariantError, type CustomerFlowState } from '@fernhilfe/protocol';
import { createContext, useContext, useSyncExternalStore } from 'react';
import type { Branding } from '@fernhilfe/protocol';
import type { PageStore } from './page-store.js';

export const StoreContext = createContext<PageStore | null>(null);
export const BrandingContext = createContext<Branding | null>(null);

export function useStore(): PageStore {
  const store = useContext(StoreContext);
  if (!store) throw new InvariantError('useStore() outside <StoreContext.Provider>');
  return store;
}

/** The customer's journey as it stands; the component re-renders when it changes. */
export function useSessionState(): CustomerFlowState {
  const store = useStore();
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}

export function useBranding(): Branding {
  const branding = useContext(BrandingContext);
  if (!branding) throw new InvariantError('useBranding() outside <BrandingContext.Provider>');
  return branding;
}
