import { useSyncExternalStore } from 'react';

/** The console's pages, from the URL fragment: `#/`, `#/reports`, `#/reports/<session id>`, `#/settings`. */
export type Route = { page: 'home' } | { page: 'reports' } | { page: 'report'; sessionId: string } | { page: 'settings' } | { page: 'accounts' } | { page: 'live' } | { page: 'queue' } | { page: 'recordings' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  if (path === '/settings') return { page: 'settings' };
  if (path === '/accounts') return { page: 'accounts' };
  if (path === '/live') return { page: 'live' };
  if (path === '/queue') return { page: 'queue' };
  if (path === '/recordings') return { page: 'recordings' };
  if (path === '/reports') return { page: 'reports' };
  const detail = /^\/reports\/([0-9a-zA-Z-]{1,100})$/.exec(path);
  if (detail) return { page: 'report', sessionId: detail[1]! };
  return { page: 'home' };
}

const subscribe = (cb: () => void) => {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
};

/** The current page; re-renders on navigation. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => location.hash);
  return parseRoute(hash);
}
