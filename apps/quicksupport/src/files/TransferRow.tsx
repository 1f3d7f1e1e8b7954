import { formatBytes, formatTimeLeft, type TransferInfo } from '@fernhilfe/client';
import { useTranslation } from 'react-i18next';

const ACTIVE = new Set(['offered', 'sending', 'receiving', 'verifying']);

/** One transfer: name, direction, progress bar with speed and time left, Cancel while it runs. */
export function TransferRow({ info, onCancel }: { info: TransferInfo; onCancel: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <li className={`transfer transfer--${info.state}`} data-testid="transfer" data-state={info.state}>
      <div className="transfer-head">
        <span className="transfer-name">{info.name}</span>
        <span className="transfer-dir">{info.outgoing ? t('files.toTechnician') : t('files.fromTechnician')}</span>
      </div>
      <progress className="transfer-bar" data-testid="transfer-progress" max={Math.max(1, info.size)} value={info.state === 'completed' ? Math.max(1, info.size) : info.transferred} />
      <div className="transfer-meta">
        <span>{t('files.progress', { done: formatBytes(info.transferred, lang), size: formatBytes(info.size, lang) })}</span>
        {(info.state === 'sending' || info.state === 'receiving') && (
          <span data-testid="transfer-speed">{t('files.speed', { speed: formatBytes(info.bytesPerSecond, lang), left: formatTimeLeft(info.secondsLeft) })}</span>
        )}
        <span className="transfer-state">{t(`files.state.${info.state}`)}</span>
        {ACTIVE.has(info.state) && (
          <button type="button" className="button button-small" data-testid="transfer-cancel" onClick={onCancel}>
            {t('files.cancel')}
          </button>
        )}
      </div>
      {info.reason && <p className="transfer-reason">{t(`files.reason.${info.reason}`)}</p>}
    </li>
  );
}
