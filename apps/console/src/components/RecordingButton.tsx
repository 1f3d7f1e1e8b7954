import { formatWait } from '@fernhilfe/protocol';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { useNow } from '../hooks/use-now';
import type { LiveSession } from '../session/live-session';
import { useStore } from '../state/use-store';
import '../styles/recording.css';

/** "Record session" / "Stop recording", where it stands, and the red mark while it runs (docs/recording.md). */
export function RecordingButton({ live }: { live: LiveSession }) {
  const { t } = useTranslation();
  const { status, policy, saved, startedAt } = useStore(live.recording.store, (s) => s);
  const now = useNow();
  useEffect(() => {
    api.call('recordingPolicy').then(
      (info) => live.recording.setPolicy(info),
      () => undefined, // no policy: no button
    );
  }, [live]);
  if (policy === 'off') return null;
  const busy = status === 'asking' || status === 'recording';
  const label = status === 'recording' ? t('recording.stop') : status === 'asking' ? t('recording.cancel') : t('recording.ask');
  return (
    <span className="recording" data-recording={status}>
      {status === 'recording' && (
        <span className="recording-mark" data-testid="recording-mark" role="status">
          {t('recording.mark')}
          {startedAt !== undefined && (
            <span className="recording-elapsed" data-testid="recording-elapsed">
              {' '}
              {formatWait(Math.max(0, now - startedAt))}
            </span>
          )}
        </span>
      )}
      <button type="button" className="button button--small" data-testid="recording-toggle" disabled={status === 'saving'} onClick={() => (busy ? live.recording.stop() : live.recording.ask())}>
        {label}
      </button>
      <span className="recording-status" data-testid="recording-status">
        {status === 'saved' ? t('recording.status.saved', { size: String(saved?.size ?? 0) }) : t(`recording.status.${status}`)}
      </span>
    </span>
  );
}
