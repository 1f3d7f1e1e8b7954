import type { LiveSession } from '../session/live-session';
import { ChatPanel } from './ChatPanel';
import { SessionBar } from './SessionBar';
import { Viewer } from './Viewer';

/** The running session: who and how well at the top, the customer's screen, the chat beside it. */
export function SessionView({ live }: { live: LiveSession }) {
  return (
    <div className="session">
      <SessionBar live={live} />
      <div className="session-body">
        <Viewer live={live} />
        <ChatPanel live={live} />
      </div>
    </div>
  );
}
