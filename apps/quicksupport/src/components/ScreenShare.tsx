import { useTranslation } from 'react-i18next';
import type { Share } from '@fernhilfe/protocol';
import { useStore } from '../use-session.js';

/** Start or stop showing the screen, and what the technician can see right now. */
export function ScreenShare({ share }: { share: Share }) {
  const { t } = useTranslation();
  const store = useStore();
  return (
    <section className={`card share share-${share.status}`} aria-live="polite">
      {share.status === 'on' ? (
        <>
          <p className="share-state">
            <span className="share-dot" aria-hidden="true" />
            {t('share.on')}
          </p>
          <button type="button" className="button button-large" data-testid="stop-sharing" onClick={() => store.stopSharing()}>
            {t('share.stop')}
          </button>
        </>
      ) : (
        <>
          <p className="share-state">{share.status === 'starting' ? t('share.starting') : t('share.off')}</p>
          {share.status === 'off' && share.problem && (
            <p className="notice notice-warning" role="alert">
              {t(`share.${share.problem}`)}
            </p>
          )}
          <button
            type="button"
            className="button button-primary button-large"
            data-testid="share-screen"
            disabled={share.status === 'starting'}
            onClick={() => void store.startSharing()}
          >
            {t('share.start')}
          </button>
        </>
      )}
    </section>
  );
}
