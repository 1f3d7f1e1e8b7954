import type { AgentApp } from '../app/agent-app.js';
import type { PanelAction } from './panel-model.js';

/**
 * Carries out a button of the panel or a desktop notification with the page's own calls (flow.end,
 * flow.decide, the files' accept and refuse). A press on something already out of date (the question
 * was answered on the page or withdrawn meanwhile) does nothing.
 */
export function answer(app: AgentApp, action: PanelAction): void {
  const { flow, files } = app;
  switch (action.kind) {
    case 'end':
      return void flow.end();
    case 'decide': {
      const open = action.decision === 'revoke' ? flow.state.consent.granted[action.what] : flow.state.consent.pending.includes(action.what);
      if (open) flow.decide(action.what, action.decision);
      return;
    }
    case 'file':
      return action.decision === 'accept' ? files.handleAccept(action.transferId) : files.handleRefuse(action.transferId);
  }
}
