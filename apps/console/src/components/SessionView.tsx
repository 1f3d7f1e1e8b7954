import { useTranslation } from 'react-i18next';
import type { LiveSession } from '../session/live-session';
import { useStore } from '../state/use-store';
import '../styles/control.css';
import { ChatPanel } from './ChatPanel';
import { ClipboardPanel } from './ClipboardPanel';
import { FilesPanel } from '../files/FilesPanel';
import { SessionBar } from './SessionBar';
import { Viewer } from './Viewer';

/** The running session: who and how well at the top, the customer's screen, the chat beside it. */
export function SessionView({ live }: { live: LiveSession }) {
  return (
    <div className="session">
      <SessionBar live={live} />
      <Reconnecting live={live} />
      <CustomerPanel live={live} />
      <div className="session-body">
        <Viewer live={live} />
        <div className="session-side">
          <ChatPanel live={live} />
          <ClipboardPanel live={live} />
          <FilesPanel files={live.files} />
        </div>
      </div>
    </div>
  );
}

/** "Connection lost, reconnecting…" while the session restores a dropped connection by itself. */
function Reconnecting({ live }: { live: LiveSession }) {
  const { t } = useTranslation();
  const reconnecting = useStore(live.store, (s) => s.reconnecting === true);
  if (!reconnecting) return null;
  return (
    <p className="notice" data-testid="reconnecting" role="status">
      {t('session.reconnecting')}
    </p>
  );
}

/** "The customer sees a panel with an End button…": only when the customer's agent says it shows one. */
function CustomerPanel({ live }: { live: LiveSession }) {
  const { t } = useTranslation();
  const shown = useStore(live.store, (s) => s.customerPanel === true);
  if (!shown) return null;
  return (
    <p className="session-note" data-testid="customer-panel" role="status">
      {t('session.customerPanel')}
    </p>
  );
}
