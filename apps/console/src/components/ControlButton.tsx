import { useTranslation } from 'react-i18next';
import type { LiveSession } from '../session/live-session';
import { useStore } from '../state/use-store';

/** "Request control" / "Release control" and, in plain words, where the request stands. */
export function ControlButton({ live }: { live: LiveSession }) {
  const { t } = useTranslation();
  const status = useStore(live.control.store, (s) => s.control);
  const busy = status === 'waiting' || status === 'granted';
  const label = status === 'granted' ? t('control.release') : status === 'waiting' ? t('control.cancel') : t('control.request');
  return (
    <span className="control" data-control={status}>
      <button
        type="button"
        className={status === 'granted' ? 'button button--small button--primary' : 'button button--small'}
        data-testid="control-toggle"
        aria-pressed={busy}
        onClick={() => (busy ? live.control.releaseControl() : live.control.requestControl())}
      >
        {label}
      </button>
      <span className="control-status" data-testid="control-status" role="status">
        {t(`control.status.${status}`)}
      </span>
    </span>
  );
}
