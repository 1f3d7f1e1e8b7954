import '../admin/admin.css';
import { formatCustomerId } from '@fernhilfe/protocol';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { AuditTable } from '../admin/AuditTable';
import { useLoad } from '../admin/use-load';
import { formatDuration } from './format';

/** One session: its facts and every audit entry, oldest first. */
export function SessionDetail({ sessionId }: { sessionId: string }) {
  const { t, i18n } = useTranslation();
  const [detail] = useLoad(() => api.call('reportSession', { params: { id: sessionId } }), [sessionId]);
  const time = new Intl.DateTimeFormat(i18n.language === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'medium', timeStyle: 'medium' });

  if (detail.status === 'loading') return <p className="loading">{t('records.common.loading')}</p>;
  if (detail.status === 'failed' || !detail.value.session) {
    return (
      <div className="records-page">
        <p className="records-status--error" role="alert">{t('records.reports.notFound')}</p>
        <a href="#/reports">{t('records.reports.back')}</a>
      </div>
    );
  }
  const { session: s, events } = detail.value;
  return (
    <div className="records-page" data-testid="report-detail">
      <a href="#/reports">{t('records.reports.back')}</a>
      <h1>{formatCustomerId(s.customerId)}</h1>
      <section className="card records-card">
        <dl className="records-facts">
          <dt>{t('records.reports.technician')}</dt>
          <dd>{s.technicianName ?? '–'}</dd>
          <dt>{t('records.reports.opened')}</dt>
          <dd>{time.format(s.openedAt)}</dd>
          <dt>{t('records.reports.duration')}</dt>
          <dd>{formatDuration(s.durationSeconds)}</dd>
          <dt>{t('records.reports.end')}</dt>
          <dd>{s.endReason ?? '–'}</dd>
          <dt>{t('records.reports.terms')}</dt>
          <dd>
            <code>{s.termsVersion}</code>
          </dd>
        </dl>
        <h2>{t('records.reports.events')}</h2>
        <AuditTable
          entries={events}
          time={time}
          testId="report-events"
          actor={(e) => e.actor.split(':')[0] ?? ''}
          last={{
            heading: t('records.reports.details'),
            className: 'records-data',
            cell: (e) => Object.entries(e.data).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' · '),
          }}
        />
      </section>
    </div>
  );
}
