import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '@fernhilfe/protocol';

export interface AuditTableProps {
  entries: AuditEntry[];
  time: Intl.DateTimeFormat;
  /** the table's last column: heading and cell (the session on the audit page, the details on a report) */
  last: { heading: string; cell: (e: AuditEntry) => ReactNode; className?: string };
  /** who acted as shown (default: the whole actor) */
  actor?: (e: AuditEntry) => string;
  testId?: string;
}

/** Audit entries as a table: number, time, event, who, and one more column. */
export function AuditTable({ entries, time, last, actor = (e) => e.actor, testId }: AuditTableProps) {
  const { t } = useTranslation();
  return (
    <div className="records-table-wrap">
      <table className="records-table" data-testid={testId}>
        <thead>
          <tr>
            <th>{t('records.audit.seq')}</th>
            <th>{t('records.audit.time')}</th>
            <th>{t('records.audit.event')}</th>
            <th>{t('records.audit.actor')}</th>
            <th>{last.heading}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.seq}>
              <td>{e.seq}</td>
              <td>{time.format(e.time)}</td>
              <td>{e.event}</td>
              <td>{actor(e)}</td>
              <td className={last.className}>{last.cell(e)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
