import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { LiveSession } from '../session/live-session';
import { useStore } from '../state/use-store';

/** Clipboard sharing: ask for it, see what the customer copied, put text on the customer's clipboard. */
export function ClipboardPanel({ live }: { live: LiveSession }) {
  const { t } = useTranslation();
  const status = useStore(live.control.store, (s) => s.clipboard);
  const fromCustomer = useStore(live.control.store, (s) => s.customerClipboard);
  const [text, setText] = useState('');
  const shared = status === 'allowed';
  const busy = status === 'waiting' || shared;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (text && live.control.sendClipboard(text)) setText('');
  }

  return (
    <section className="clipboard" data-clipboard={status}>
      <h2>{t('clipboard.heading')}</h2>
      <p className="clipboard-status" data-testid="clipboard-status" role="status">
        {t(`clipboard.status.${status}`)}
      </p>
      <button type="button" className="button button--small" data-testid="clipboard-toggle" aria-pressed={busy} onClick={() => (busy ? live.control.releaseClipboard() : live.control.requestClipboard())}>
        {busy ? t('clipboard.release') : t('clipboard.request')}
      </button>
      {shared && (
        <>
          <label className="clipboard-label" htmlFor="clipboard-from-customer">
            {t('clipboard.fromCustomer')}
          </label>
          <textarea id="clipboard-from-customer" data-testid="clipboard-from-customer" readOnly rows={3} value={fromCustomer ?? ''} placeholder={t('clipboard.nothingYet')} />
          <button type="button" className="button button--small" data-testid="clipboard-copy" disabled={!fromCustomer} onClick={() => void navigator.clipboard?.writeText(fromCustomer ?? '').catch(() => undefined)}>
            {t('clipboard.copy')}
          </button>
          <form className="clipboard-form" onSubmit={submit}>
            <label className="clipboard-label" htmlFor="clipboard-to-customer">
              {t('clipboard.toCustomer')}
            </label>
            <textarea id="clipboard-to-customer" data-testid="clipboard-input" rows={3} value={text} onChange={(e) => setText(e.target.value)} />
            <button type="submit" className="button button--small button--primary" data-testid="clipboard-send" disabled={!text}>
              {t('clipboard.send')}
            </button>
          </form>
        </>
      )}
    </section>
  );
}
