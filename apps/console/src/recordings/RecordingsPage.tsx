import '../admin/admin.css';
import './recordings.css';
import { formatCustomerId, type RecordingRow } from '@fernhilfe/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { describe, useLoad } from '../admin/use-load';
import { formatDuration } from '../reports/format';

/**
 * Admins (`#/recordings`, docs/recording.md): every recording with customer ID, technician, start,
 * duration, size and SHA-256 of the ciphertext; download the encrypted file, delete it (audited as
 * `recording-deleted`); how long the server keeps them (RETENTION_DAYS).
 */
export function RecordingsPage() {
  const { t, i18n } = useTranslation();
  const [list, reload] = useLoad(() => api.call('recordings'), []);
  const [asking, setAsking] = useState<string | undefined>();
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | undefined>();
  const number = new Intl.NumberFormat(i18n.language);

  const remove = async (r: RecordingRow) => {
    setAsking(undefined);
    try {
      await api.call('deleteRecording', { params: { id: r.id } });
      setNotice({ ok: true, text: t('recordings.deleted', { id: formatCustomerId(r.customerId) }) });
    } catch (err) {
      setNotice({ ok: false, text: t('records.common.error', { message: describe(err).message }) });
    }
    reload();
  };

  if (list.status === 'failed') return <p className="card records-status--error" role="alert">{t('records.common.error', { message: list.message })}</p>;
  if (list.status !== 'ready') return <p className="loading">{t('records.common.loading')}</p>;
  const { recordings, retentionDays } = list.value;
  return (
    <div className="records-page" data-testid="recordings-page">
      <h1>{t('recordings.heading')}</h1>
      <p className="card">
        {t('recordings.intro')}
        <br />
        <span data-testid="recordings-retention">{retentionDays > 0 ? t('recordings.retention', { days: String(retentionDays) }) : t('recordings.retentionOff')}</span>
      </p>
      {notice && (
        <p className={`card records-status records-status--${notice.ok ? 'ok' : 'error'}`} role="status" data-testid="recordings-notice">
          {notice.text}
        </p>
      )}
      {recordings.length === 0 ? (
        <p className="card" data-testid="recordings-none">
          {t('recordings.none')}
        </p>
      ) : (
        <div className="records-table-wrap card">
          <table className="records-table" data-testid="recordings-table">
            <thead>
              <tr>
                {(['customerId', 'technician', 'started', 'duration', 'size', 'sha256'] as const).map((c) => (
                  <th key={c}>{t(`recordings.${c}`)}</th>
                ))}
                <th />
              </tr>
            </thead>
            <tbody>
              {recordings.map((r) => (
                <tr key={r.id} data-testid="recording-row" data-id={r.id}>
                  <td>{formatCustomerId(r.customerId)}</td>
                  <td>{r.technicianName}</td>
                  <td>{new Date(r.startedAt).toLocaleString(i18n.language)}</td>
                  <td>{r.stoppedAt === null ? t('recordings.unfinished') : formatDuration(Math.round((r.stoppedAt - r.startedAt) / 1000))}</td>
                  <td>{r.size === null ? '–' : `${number.format(r.size)} B`}</td>
                  <td className="recording-hash" data-testid="recording-sha256">
                    {r.sha256 ?? '–'}
                  </td>
                  <td className="recording-actions">
                    {r.size !== null && (
                      <a className="button button--small" href={`/api/recordings/${encodeURIComponent(r.id)}/file`} download data-testid="recording-download">
                        {t('recordings.download')}
                      </a>
                    )}
                    {asking === r.id ? (
                      <>
                        <button type="button" className="button button--small button--danger" data-testid="recording-delete-confirm" onClick={() => void remove(r)}>
                          {t('recordings.confirm')}
                        </button>
                        <button type="button" className="button button--small" onClick={() => setAsking(undefined)}>
                          {t('recordings.cancel')}
                        </button>
                      </>
                    ) : (
                      <button type="button" className="button button--small" data-testid="recording-delete" onClick={() => setAsking(r.id)}>
                        {t('recordings.delete')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
