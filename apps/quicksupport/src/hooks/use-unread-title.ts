import { useEffect, useRef } from 'react';
import type { ChatEntry } from '@fernhilfe/protocol';

/**
 * While the customer looks at another window (usually: while sharing the screen), new messages
 * from the technician show in the tab title, "(2) Fernhilfe …", until the page is seen again.
 */
export function useUnreadTitle(entries: ChatEntry[]): void {
  const seen = useRef(entries.length);
  const baseTitle = useRef(document.title);

  useEffect(() => {
    const show = () => {
      const unread = entries.slice(seen.current).filter((e) => e.from === 'technician').length;
      document.title = unread > 0 ? `(${unread}) ${baseTitle.current}` : baseTitle.current;
    };
    if (!document.hidden) seen.current = entries.length;
    show();
    const onVisible = () => {
      if (document.hidden) return;
      seen.current = entries.length;
      show();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [entries]);

  useEffect(() => () => void (document.title = baseTitle.current), []);
}
