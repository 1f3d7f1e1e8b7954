import { useSyncExternalStore } from 'react';
import { useStore } from '../use-session.js';
import { AgentStore, type AgentExtras } from './agent-store.js';

/** The agent's store when the page runs under the agent, else null. */
export function useAgentStore(): AgentStore | null {
  const store = useStore();
  return store instanceof AgentStore ? store : null;
}

const none = (): (() => void) => () => undefined;
const noExtras = (): AgentExtras | null => null;

/** What only the agent knows (consent, its screen sharing, whether it is still there); null outside agent mode. */
export function useAgentExtras(): AgentExtras | null {
  const agent = useAgentStore();
  return useSyncExternalStore(agent ? agent.subscribe : none, agent ? agent.getExtras : noExtras);
}
