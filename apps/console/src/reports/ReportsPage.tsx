import '../admin/admin.css';
import { formatCustomerId, type ReportQuery } from '@fernhilfe/protocol';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { useLoad } from '../admin/use-load';
import { useAppState } from '../state/context';
import { dayStart, formatDuration, localDay } from './format';

/** The query string of a report, for the CSV link. */
function reportParams(q: ReportQuery): string {
  const p = new URLSearchParams();
  if (q.from) p.set('from', q.from);
  if (q.to) p.set('to', q.to);
  if (q.technician) p.set('technician', q.technician);
  return p.toString();
}

/** Sessions by date range (and technician, for admins) with duration and events; CSV for billing. */
export function ReportsPage() {
  const { t, i18n } = useTranslation();
  const auth = useAppState((s) => s.auth);
  const isAdmin = auth.status === 'signed-in' && auth.user.role === 'admin';
  const today = new Date();
  const [form, setForm] = useState({ from: localDay(new Date(today.getFullYear(), today.getMonth(), 1)), to: localDay(today), technician: '' });
  const toQuery = (f: typeof form): ReportQuery => ({ from: dayStart(f.from), to: dayStart(f.to, 1), ...(f.technician ? { technician: f.technician } : {}) });
  const [query, setQuery] = useState<ReportQuery>(() => toQuery(form));
  const [report] = useLoad(() => api.call('reportSessions', { query }), [query]);
  const [people] = useLoad(() => (isAdmin ? api.call('technicians') : Promise.resolve({ users: [] })), [isAdmin]);
  const time = new Intl.DateTimeFormat(i18n.language === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setQuery(toQuery(form));
  };
  const rows = report.status === 'ready' ? report.value.sessions : [];
  const total = rows.reduce((sum, r) => sum + r.durationSeconds, 0);

  return (
    <div className="records-page" data-testid="reports-page">
      <h1>{t('records.reports.heading')}</h1>
      <form className="card records-filter" onSubmit={submit}>
        <label className="field">
          <span>{t('records.reports.from')}</span>
          <input type="date" data-testid="report-from" value={form.from} onChange={(e) => setForm((f) => ({ ...f, from: e.target.value }))} />
        </label>
        <label className="field">
          <span>{t('records.reports.to')}</span>
          <input type="date" data-testid="report-to" value={form.to} onChange={(e) => setForm((f) => ({ ...f, to: e.target.value }))} />
        </label>
        {isAdmin && people.status === 'ready' && (
          <label className="field">
            <span>{t('records.reports.technician')}</span>
            <select data-testid="report-technician" value={form.technician} onChange={(e) => setForm((f) => ({ ...f, technician: e.target.value }))}>
              <option value="">{t('records.reports.everyone')}</option>
              {people.value.users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.displayName} ({u.login})
                </option>
              ))}
            </select>
          </label>
        )}
        <div className="buttons">
          <button type="submit" className="button button--primary" data-testid="report-show">
            {t('records.reports.show')}
          </button>
          <a className="button records-link-button" data-testid="report-csv" href={`/api/reports/sessions.csv?${reportParams(query)}`} download>
            {t('records.reports.csv')}
          </a>
        </div>
      </form>
      {report.status === 'failed' && <p className="records-status--error" role="alert">{t('records.common.error', { message: report.message })}</p>}
      {report.status === 'ready' && rows.length === 0 && <p className="hint">{t('records.reports.none')}</p>}
      {rows.length > 0 && (
        <section className="card records-card">
          <p data-testid="report-total">{t('records.reports.total', { count: rows.length, duration: formatDuration(total) })}</p>
          <div className="records-table-wrap">
            <table className="records-table" data-testid="report-table">
              <thead>
                <tr>
                  <th>{t('records.reports.opened')}</th>
                  <th>{t('records.reports.technician')}</th>
                  <th>{t('records.reports.customer')}</th>
                  <th className="num">{t('records.reports.duration')}</th>
                  <th className="num">{t('records.reports.control')}</th>
                  <th className="num">{t('records.reports.files')}</th>
                  <th>{t('records.reports.end')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.sessionId} data-session={r.sessionId}>
                    <td>{time.format(r.openedAt)}</td>
                    <td>{r.technicianName ?? '–'}</td>
                    <td>{formatCustomerId(r.customerId)}</td>
                    <td className="num">{formatDuration(r.durationSeconds)}</td>
                    <td className="num">{r.controlGranted}</td>
                    <td className="num">{r.filesTransferred}</td>
                    <td>{r.endReason ?? ''}</td>
                    <td>
                      <a href={`#/reports/${r.sessionId}`}>{t('records.reports.details')}</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </div>
  );
}
