import { isAgentMode } from '../agent/mode.js';
import type { CustomerFlowState } from '@fernhilfe/protocol';
import { CaseWaiting } from '../cases/CaseWaiting.js';
import { AgentDownload } from './AgentDownload.js';
import { Credentials } from './Credentials.js';
import { ScamGuard } from './ScamGuard.js';
import { StatusPanel } from './StatusPanel.js';

/** Registered: the ID and password to read out, the status, and the scam warning. */
export function WaitingView({ state }: { state: CustomerFlowState }) {
  return (
    <>
      {state.case ? <CaseWaiting state={state} supportCase={state.case} /> : state.id && <Credentials id={state.id} password={state.password} rotated={state.rotated} />}
      <StatusPanel state={state} />
      <ScamGuard />
      {!isAgentMode() && <AgentDownload />}
    </>
  );
}
