import '../admin/admin.css';
import { useTranslation } from 'react-i18next';
import { recordsApi } from '../admin/api';
import { useLoad } from '../admin/use-load';
import { formatDuration } from './format';

/** One session: its facts and every audit entry, oldest first. */
export function SessionDetail({ sessionId }: { sessionId: string }) {
  const { t, i18n } = useTranslation();
  const [detail] = useLoad(() => recordsApi.session(sessionId), [sessionId]);
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
      <h1>{s.customerId.replace(/^(\d{3})(\d{3})(\d{3})$/, '$1 $2 $3')}</h1>
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
        <div className="records-table-wrap">
          <table className="records-table" data-testid="report-events">
            <thead>
              <tr>
                <th>{t('records.audit.seq')}</th>
                <th>{t('records.audit.time')}</th>
                <th>{t('records.audit.event')}</th>
                <th>{t('records.audit.actor')}</th>
                <th>{t('records.reports.details')}</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.seq}>
                  <td>{e.seq}</td>
                  <td>{time.format(e.time)}</td>
                  <td>{e.event}</td>
                  <td>{e.actor.split(':')[0]}</td>
                  <td className="records-data">{Object.entries(e.data).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' · ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
