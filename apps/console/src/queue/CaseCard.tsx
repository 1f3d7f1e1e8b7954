import { formatWait, type SupportCase } from '@fernhilfe/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { describe } from '../admin/use-load';
import { useConsole } from '../state/context';
import { CaseDescription } from './CaseDescription';
import { caseSecrets } from './case-secrets';

interface Props {
  item: SupportCase;
  technicians: { id: string; name: string }[];
  now: number;
  onChanged: () => void;
}

/** One case in the queue: who, since when, what is wrong, and what can be done with it. */
export function CaseCard({ item, technicians, now, onChanged }: Props) {
  const { t } = useTranslation();
  const controller = useConsole();
  const [error, setError] = useState<string>();
  const [closeNote, setCloseNote] = useState('');
  const open = item.state === 'waiting' || item.state === 'in-session';
  const act = async (what: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await what();
      onChanged();
    } catch (err) {
      setError(describe(err).message);
    }
  };
  const take = async () => {
    const secret = caseSecrets.get(item.id);
    if (!secret) return setError(t('queue.noSecret'));
    setError(undefined);
    try {
      await controller.takeCase(item.id, secret);
    } catch (err) {
      setError(describe(err).code === 'conflict' ? t('queue.takeFailed') : describe(err).message);
      onChanged();
    }
  };
  const since = item.state === 'waiting' && item.arrivedAt ? t('queue.waitingSince', { time: formatWait(now - item.arrivedAt) }) : open ? t('queue.openSince', { time: formatWait(now - item.createdAt) }) : '';

  return (
    <li className={`card queue-case queue-case--${item.state}${item.present ? ' queue-case--present' : ''}`} data-testid={`case-${item.id}`}>
      <div className="queue-case-head">
        <strong data-testid="case-name">{item.customerName}</strong>
        <span className="queue-muted"> · {item.id}</span>
        {item.state === 'expired' && <span className="queue-muted"> · {t('queue.expired')}</span>}
        {since && <span className="queue-since" data-testid="case-wait"> · {since}</span>}
      </div>
      {item.note && <p className="queue-note">{item.note}</p>}
      {item.state !== 'expired' && <CaseDescription item={item} />}
      {item.closeNote && <p className="queue-muted">{t('queue.closedNote', { note: item.closeNote })}</p>}
      {(open || (item.state === 'done' && item.closeNote === null)) && (
        <div className="queue-actions">
          {open && (
          <label>
            {t('queue.assignee')}{' '}
            <select data-testid="case-assign" value={item.assignee.id} onChange={(e) => void act(() => api.call('assignCase', { params: { id: item.id }, body: { userId: e.target.value } }))}>
              {technicians.some((p) => p.id === item.assignee.id) ? null : <option value={item.assignee.id}>{item.assignee.name}</option>}
              {technicians.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
          )}
          {item.present && (
            <button type="button" className="button button--primary" data-testid="case-take" onClick={() => void take()}>
              {t('queue.take')}
            </button>
          )}
          <input data-testid="case-close-note" aria-label={t('queue.closeNote')} placeholder={t('queue.closeNote')} maxLength={2000} value={closeNote} onChange={(e) => setCloseNote(e.target.value)} />
          <button type="button" className="button" data-testid="case-close" onClick={() => void act(() => api.call('closeCase', { params: { id: item.id }, body: { note: closeNote } }))}>
            {t('queue.close')}
          </button>
        </div>
      )}
      {error && <p className="records-status--error" role="alert" data-testid="case-error">{error}</p>}
    </li>
  );
}
