import { useTranslation } from 'react-i18next';
import { Chat } from '../components/Chat.js';
import { ConsentPrompt } from '../components/ConsentPrompt.js';
import { SessionStatus } from '../components/SessionStatus.js';
import type { SessionState } from '../session-state.js';
import { FilesCard } from '../files/FilesCard.js';
import { useAgentExtras, useAgentStore } from './use-agent.js';

/** Connected, in agent mode: as SessionView, but the agent shares the screen itself and the customer answers consent prompts. */
export function AgentSessionView({ state }: { state: SessionState }) {
  const { t } = useTranslation();
  const extras = useAgentExtras();
  const agent = useAgentStore();
  return (
    <>
      <SessionStatus state={state} />
      <ConsentPrompt />
      {extras?.screenShared && (
        <p className="notice" data-testid="agent-screen-shared">
          {t('agent.screenShared')}
        </p>
      )}
      {agent && <FilesCard files={agent.agentFiles} technician={state.connectedTechnician?.displayName} />}
      <Chat entries={state.chat} />
    </>
  );
}

/** After the end, in agent mode: the program is gone, the window can be closed. */
export function AgentClosedNotice() {
  const { t } = useTranslation();
  const extras = useAgentExtras();
  if (!extras?.agentGone) return null;
  return (
    <p className="notice" data-testid="agent-closed" role="status">
      {t('agent.closed')}
    </p>
  );
}
