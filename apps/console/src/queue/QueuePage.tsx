import './queue.css';
import { useState } from 'react';
import { useNow } from '../hooks/use-now';
import { useTranslation } from 'react-i18next';
import type { SupportCase } from '@fernhilfe/protocol';
import { ring } from './arrival';
import { CaseCard } from './CaseCard';
import { NewCaseForm } from './NewCaseForm';
import { useQueue } from './use-queue';

const GROUPS = [
  ['waiting', (c: SupportCase) => c.state === 'waiting'],
  ['inSession', (c: SupportCase) => c.state === 'in-session'],
  ['done', (c: SupportCase) => c.state === 'done' || c.state === 'expired'],
] as const;

/** `#/queue`: new cases, and the cases by state; a bell and a banner when a customer arrives (docs/cases.md). */
export function QueuePage() {
  const { t } = useTranslation();
  const [sound, setSound] = useState<'played' | 'blocked'>();
  const queue = useQueue((c) => setSound(ring(t('queue.notifyTitle'), t('queue.arrived', { name: c.customerName }))));
  const now = useNow();
  const latest = queue.arrivals.at(-1);

  return (
    <div className="records-page queue" data-testid="queue-page">
      <h1>{t('queue.heading')}</h1>
      {latest && (
        <p className="card queue-banner" role="alert" data-testid="arrival-banner" data-sound={sound}>
          {t('queue.arrived', { name: latest.customerName })}
        </p>
      )}
      <NewCaseForm onCreated={queue.reload} />
      {queue.error && <p className="card records-status--error" role="alert">{t('queue.error', { message: queue.error })}</p>}
      {queue.data &&
        GROUPS.map(([key, match]) => {
          const items = queue.data!.cases.filter(match);
          return (
            <section key={key} className="queue-group" data-testid={`queue-${key}`}>
              <h2>
                {t(`queue.${key}`)} ({items.length})
              </h2>
              {items.length === 0 ? (
                <p className="queue-muted">{t('queue.none')}</p>
              ) : (
                <ul className="queue-list">
                  {items.map((c) => (
                    <CaseCard key={c.id} item={c} technicians={queue.data!.technicians} now={now} onChanged={queue.reload} />
                  ))}
                </ul>
              )}
            </section>
          );
        })}
    </div>
  );
}
