import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_CHAT_LENGTH } from '../session/chat';
import type { LiveSession } from '../session/live-session';
import { useStore } from '../state/use-store';

/** Chat with the customer. Every message is a text node; Enter sends. */
export function ChatPanel({ live }: { live: LiveSession }) {
  const { t } = useTranslation();
  const chat = useStore(live.store, (s) => s.chat);
  const [text, setText] = useState('');
  const log = useRef<HTMLUListElement>(null);

  useEffect(() => {
    if (log.current) log.current.scrollTop = log.current.scrollHeight;
  }, [chat]);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!text.trim()) return;
    void live.sendChat(text);
    setText('');
  }

  return (
    <section className="chat">
      <h2>{t('chat.heading')}</h2>
      {chat.length === 0 && <p className="chat-empty">{t('chat.empty')}</p>}
      <ul className="chat-log" data-testid="chat-log" ref={log} aria-live="polite">
        {chat.map((entry) => (
          <li
            key={entry.id}
            className={entry.failed ? 'chat-entry chat-entry--failed' : 'chat-entry'}
            data-from={entry.from}
            data-label={entry.from === 'technician' ? t('chat.you') : t('chat.customer')}
            title={entry.failed ? t('chat.failed') : undefined}
          >
            {entry.text}
          </li>
        ))}
      </ul>
      <form className="chat-form" onSubmit={submit}>
        <label className="visually-hidden" htmlFor="chat-input">
          {t('chat.input')}
        </label>
        <input id="chat-input" data-testid="chat-input" autoComplete="off" maxLength={MAX_CHAT_LENGTH} placeholder={t('chat.input')} value={text} onChange={(e) => setText(e.target.value)} />
        <button type="submit" className="button button--primary" data-testid="chat-send">
          {t('chat.send')}
        </button>
      </form>
    </section>
  );
}
