import './admin.css';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LiveSession } from '@fernhilfe/protocol';
import { api } from '../api';
import { describe, useLoad } from './use-load';

const REFRESH_MS = 3000;

/** Admins: the sessions running now on every server node; an admin can end one (both sides are told why). */
export function LivePage() {
  const { t, i18n } = useTranslation();
  const [list, reload] = useLoad(() => api.call('liveSessions'), []);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | undefined>();
  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  const number = new Intl.NumberFormat(i18n.language);
  const end = async (s: LiveSession) => {
    try {
      await api.call('endLiveSession', { params: { id: s.customerId } });
      setNotice({ ok: true, text: t('accounts.live.ended', { id: s.customerId }) });
    } catch (err) {
      setNotice({ ok: false, text: t('records.common.error', { message: describe(err).message }) });
    }
    reload();
  };

  if (list.status === 'failed') return <p className="card records-status--error" role="alert">{t('records.common.error', { message: list.message })}</p>;
  if (list.status !== 'ready') return <p className="loading">{t('records.common.loading')}</p>;
  const { sessions, missingNodes } = list.value;
  return (
    <div className="records-page" data-testid="live-page">
      <h1>{t('accounts.live.heading')}</h1>
      {notice && <p className={`card records-status records-status--${notice.ok ? 'ok' : 'error'}`} role="status" data-testid="live-notice">{notice.text}</p>}
      {missingNodes > 0 && <p className="card records-status--error" role="alert">{t('accounts.live.missing', { count: missingNodes })}</p>}
      {sessions.length === 0 ? (
        <p className="card" data-testid="live-none">{t('accounts.live.none')}</p>
      ) : (
        <div className="records-table-wrap card">
          <table className="records-table" data-testid="live-table">
            <thead>
              <tr>{(['customerId', 'technician', 'since', 'node', 'path', 'bytes'] as const).map((c) => <th key={c}>{t(`accounts.live.${c}`)}</th>)}<th /></tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr key={s.customerId} data-testid={`live-${s.customerId}`}>
                  <td>{s.customerId}</td>
                  <td>{s.technician.displayName}</td>
                  <td>{new Date(s.since).toLocaleString(i18n.language)}</td>
                  <td>{s.node}</td>
                  <td>{t(`accounts.live.${s.path}`)}</td>
                  <td>{number.format(s.relayedBytes)} B</td>
                  <td><button type="button" className="button" data-testid="live-end" onClick={() => void end(s)}>{t('accounts.live.end')}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
