import { useTranslation } from 'react-i18next';
import type { LiveSession } from '../session/live-session';
import { useStore } from '../state/use-store';

/** Where the session's data flows: straight to the customer, through the TURN server, or through our server. */
export function PathIndicator({ live }: { live: LiveSession }) {
  const { t } = useTranslation();
  const path = useStore(live.store, (s) => s.path ?? 'relayed');
  return (
    <span className={`path path--${path}`} data-testid="session-path" data-path={path} title={t(`session.path.${path}.hint`)}>
      {t(`session.path.${path}.label`)}
    </span>
  );
}
