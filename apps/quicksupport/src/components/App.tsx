import { useSessionState } from '../use-session.js';
import { EndBar } from './EndBar.js';
import { Header } from './Header.js';
import { SessionView } from './SessionView.js';
import { Summary } from './Summary.js';
import { TermsStep } from './TermsStep.js';
import { WaitingView } from './WaitingView.js';

/** The page: one view per phase of the session (see session-state.ts). */
export function App() {
  const state = useSessionState();
  const registered = state.phase === 'waiting' || state.phase === 'pairing' || state.phase === 'active';
  return (
    <div className="page">
      <Header />
      <main className="main">
        {state.phase === 'ended' ? (
          <Summary state={state} />
        ) : state.phase === 'active' ? (
          <SessionView state={state} />
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
