import type { CustomerFlowState } from '@fernhilfe/protocol';
import { useTranslation } from 'react-i18next';
import { Chat } from '../components/Chat.js';
import { ConsentPrompt } from '../components/ConsentPrompt.js';
import { SessionStatus } from '../components/SessionStatus.js';
import { FilesCard } from '../files/FilesCard.js';
import { useStore } from '../use-session.js';
import { useAgentGone } from './use-agent.js';

/** Connected, in agent mode: as SessionView, but the agent shares the screen itself and the customer answers consent prompts. */
export function AgentSessionView({ state }: { state: CustomerFlowState }) {
  const { t } = useTranslation();
  const store = useStore();
  return (
    <>
      <SessionStatus state={state} />
      <ConsentPrompt state={state} />
      {state.share.status === 'on' && (
        <p className="notice" data-testid="agent-screen-shared">
          {t('agent.screenShared')}
        </p>
      )}
      <FilesCard files={store.files} technician={state.connectedTechnician?.displayName} />
      <Chat entries={state.chat} />
    </>
  );
}

/** After the end, in agent mode: the program is gone, the window can be closed. */
export function AgentClosedNotice() {
  const { t } = useTranslation();
  if (!useAgentGone()) return null;
  return (
    <p className="notice" data-testid="agent-closed" role="status">
      {t('agent.closed')}
    </p>
  );
}
