import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntry, AuditVerifyResult } from '@fernhilfe/protocol';
import { api } from '../api';
import { AuditTable } from './AuditTable';
import { StatusLine, type FormStatus } from './Status';
import { describe, useLoad } from './use-load';

/** The newest audit entries and a button that checks the whole chain. */
export function AuditPanel() {
  const { t, i18n } = useTranslation();
  const [before, setBefore] = useState<number | undefined>(undefined);
  const [page] = useLoad(() => api.call('audit', { query: { limit: 50, before } }), [before]);
  const [check, setCheck] = useState<FormStatus>({ kind: 'idle' });
  const time = new Intl.DateTimeFormat(i18n.language === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'short', timeStyle: 'medium' });

  const verify = async () => {
    setCheck({ kind: 'busy' });
    try {
      const r: AuditVerifyResult = await api.call('auditVerify');
      setCheck(
        r.ok
          ? { kind: 'done', text: t('records.audit.ok', { count: r.entries, head: r.headHash.slice(0, 16) }) }
          : { kind: 'error', code: 'broken', message: t('records.audit.broken', { seq: String(r.seq), kind: r.kind, detail: r.message }) },
      );
    } catch (err) {
      setCheck({ kind: 'error', ...describe(err) });
    }
  };

  const entries: AuditEntry[] = page.status === 'ready' ? page.value.entries : [];
  return (
    <section className="card records-card records-wide" data-testid="audit-panel">
      <h2>{t('records.audit.heading')}</h2>
      <div className="buttons">
        <button type="button" className="button" data-testid="audit-verify" onClick={() => void verify()}>
          {t('records.audit.verify')}
        </button>
      </div>
      <StatusLine status={check} testId="audit-verify-result" />
      <AuditTable
        entries={entries}
        time={time}
        last={{ heading: t('records.audit.session'), cell: (e) => (e.sessionId ? <a href={`#/reports/${e.sessionId}`}>{e.sessionId.slice(0, 8)}</a> : '–') }}
      />
      {entries.length === 50 && (
        <button type="button" className="button button--small" onClick={() => setBefore(entries.at(-1)!.seq)}>
          {t('records.audit.more')}
        </button>
      )}
    </section>
  );
}
