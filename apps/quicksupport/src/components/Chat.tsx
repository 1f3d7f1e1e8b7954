import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatEntry } from '@fernhilfe/protocol';
import { useUnreadTitle } from '../hooks/use-unread-title.js';
import { MAX_CHAT_LENGTH } from '@fernhilfe/client';
import { useStore } from '../use-session.js';

/** Messages with the technician; Enter sends. */
export function Chat({ entries }: { entries: ChatEntry[] }) {
  const { t } = useTranslation();
  const store = useStore();
  const [draft, setDraft] = useState('');
  const log = useRef<HTMLOListElement>(null);
  useUnreadTitle(entries);

  useEffect(() => {
    const el = log.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [entries.length]);

  const send = (e: FormEvent) => {
    e.preventDefault();
    if (store.sendChat(draft)) setDraft('');
  };

  return (
    <section className="card chat" aria-labelledby="chat-heading">
      <h2 id="chat-heading">{t('chat.heading')}</h2>
      <ol className="chat-log" data-testid="chat-log" ref={log} aria-live="polite">
        {entries.map((entry) => (
          <li key={entry.key} data-from={entry.from} data-label={entry.from === 'technician' ? t('chat.technician') : t('chat.you')}>
            {entry.text}
          </li>
        ))}
      </ol>
      {entries.length === 0 && <p className="chat-empty">{t('chat.empty')}</p>}
      <form className="chat-form" onSubmit={send}>
        <input
          type="text"
          data-testid="chat-input"
          value={draft}
          maxLength={MAX_CHAT_LENGTH}
          placeholder={t('chat.placeholder')}
          aria-label={t('chat.placeholder')}
          autoComplete="off"
          onChange={(e) => setDraft(e.target.value)}
        />
        <button type="submit" className="button button-primary" data-testid="chat-send" disabled={draft.trim() === ''}>
          {t('chat.send')}
        </button>
      </form>
    </section>
  );
}
