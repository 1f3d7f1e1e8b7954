import { useSyncExternalStore } from 'react';
import { useStore } from '../use-session.js';
import type { DesktopConsentView, DesktopView } from './agent-link.js';
import { AgentStore } from './agent-store.js';

/** The agent's store when the page runs under the agent, else null. */
export function useAgentStore(): AgentStore | null {
  const store = useStore();
  return store instanceof AgentStore ? store : null;
}

const none = (): (() => void) => () => undefined;
const notGone = (): boolean => false;

/** The agent has exited (after the end) or vanished; false outside agent mode. */
export function useAgentGone(): boolean {
  const agent = useAgentStore();
  return useSyncExternalStore(agent ? agent.subscribe : none, agent ? agent.isGone : notGone);
}

const noDesktop = (): DesktopView | undefined => undefined;

/** Windows: what the agent's input can reach now; undefined outside agent mode or before the first look. */
export function useAgentDesktop(): DesktopView | undefined {
  const agent = useAgentStore();
  return useSyncExternalStore(agent ? agent.subscribe : none, agent ? agent.getDesktop : noDesktop);
}

const noConsent = (): DesktopConsentView | undefined => undefined;

/** Wayland: whether the desktop's own sharing dialog is asking the customer (or was answered); undefined elsewhere. */
export function useAgentDesktopConsent(): DesktopConsentView | undefined {
  const agent = useAgentStore();
  return useSyncExternalStore(agent ? agent.subscribe : none, agent ? agent.getDesktopConsent : noConsent);
}
