import { useTranslation } from 'react-i18next';
import type { LiveSession, LiveSessionState } from '../session/live-session';
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
      <StateLine live={live} when={(s) => s.reconnecting === true} testId="reconnecting" text="session.reconnecting" className="notice" />
      <StateLine live={live} when={(s) => s.customerPanel === true} testId="customer-panel" text="session.customerPanel" className="session-note" />
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

/**
 * A line of the session's state, shown while `when` holds: "Connection lost, reconnecting…" while the
 * session restores a dropped connection; "The customer sees a panel with an End button…" only when
 * the customer's agent says it shows one.
 */
function StateLine({ live, when, testId, text, className }: { live: LiveSession; when: (s: LiveSessionState) => boolean; testId: string; text: 'session.reconnecting' | 'session.customerPanel'; className: string }) {
  const { t } = useTranslation();
  const shown = useStore(live.store, when);
  if (!shown) return null;
  return (
    <p className={className} data-testid={testId} role="status">
      {t(text)}
    </p>
  );
}
