import { isRegistered } from '@fernhilfe/client';
import { AgentClosedNotice, AgentSessionView } from '../agent/AgentSessionView.js';
import { useAgentStore } from '../agent/use-agent.js';
import { useSessionState } from '../use-session.js';
import { EndBar } from './EndBar.js';
import { Header } from './Header.js';
import { SessionView } from './SessionView.js';
import { Summary } from './Summary.js';
import { TermsStep } from './TermsStep.js';
import { WaitingView } from './WaitingView.js';

/** The page: one view per phase of the session (the CustomerFlow's, docs/customer-flow.md). */
export function App() {
  const state = useSessionState();
  // under the native agent: consent prompts instead of browser screen sharing (apps/quicksupport/src/agent/)
  const agent = useAgentStore() !== null;
  const registered = isRegistered(state.phase);
  return (
    <div className="page">
      <Header />
      <main className="main">
        {state.phase === 'ended' ? (
          <>
            <Summary state={state} />
            {agent && <AgentClosedNotice />}
          </>
        ) : state.phase === 'active' ? (
          agent ? <AgentSessionView state={state} /> : <SessionView state={state} />
        ) : registered ? (
          <WaitingView state={state} />
        ) : (
          <TermsStep />
        )}
      </main>
      {registered && <EndBar />}
    </div>
  );
}
