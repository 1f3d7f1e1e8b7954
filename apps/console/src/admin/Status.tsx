import { useTranslation } from 'react-i18next';

/** A form's result line: saved, or what went wrong in plain words. */
export type FormStatus = { kind: 'idle' } | { kind: 'busy' } | { kind: 'done'; text: string } | { kind: 'error'; code: string; message: string };

export function StatusLine({ status, testId }: { status: FormStatus; testId?: string }) {
  const { t } = useTranslation();
  if (status.kind === 'idle') return null;
  if (status.kind === 'busy') return <p className="records-status">{t('records.common.saving')}</p>;
  if (status.kind === 'done') return <p className="records-status records-status--ok" role="status" data-testid={testId}>{status.text}</p>;
  const message = status.code === 'network' ? t('records.common.network') : t('records.common.error', { message: status.message });
  return <p className="records-status records-status--error" role="alert" data-testid={testId}>{message}</p>;
}
