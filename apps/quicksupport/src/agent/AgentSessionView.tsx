import type { CustomerFlowState } from '@fernhilfe/protocol';
import { useTranslation } from 'react-i18next';
import { Chat } from '../components/Chat.js';
import { ConsentPrompt } from '../components/ConsentPrompt.js';
import { SessionStatus } from '../components/SessionStatus.js';
import { FilesCard } from '../files/FilesCard.js';
import { useStore } from '../use-session.js';
import { useAgentDesktop, useAgentDesktopConsent, useAgentGone, useAgentStore } from './use-agent.js';

/** Connected, in agent mode: as SessionView, but the agent shares the screen itself and the customer answers consent prompts. */
export function AgentSessionView({ state }: { state: CustomerFlowState }) {
  const { t } = useTranslation();
  const store = useStore();
  // Wayland's portal: nothing is shared until the customer answers the desktop's own dialog
  const consent = useAgentDesktopConsent();
  const shared = state.share.status === 'on' && consent !== 'asking' && consent !== 'refused';
  return (
    <>
      <SessionStatus state={state} />
      <ConsentPrompt state={state} />
      <ElevationNotice />
      <DesktopConsentNotice />
      {shared && (
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

/**
 * Windows: the limits of remote control said plainly. An administrator's window in front cannot
 * receive our input unless the program runs as administrator too: the customer may restart it so
 * (a new session with a new ID and password). The secure desktop (UAC prompt, lock screen) cannot
 * be seen or controlled by anyone from outside.
 */
function ElevationNotice() {
  const { t } = useTranslation();
  const agent = useAgentStore();
  const desktop = useAgentDesktop();
  if (!agent || !desktop) return null;
  if (desktop.secureDesktop) {
    return (
      <p className="notice notice-warning" data-testid="secure-desktop" role="status">
        {t('agent.secureDesktop')}
      </p>
    );
  }
  if (!desktop.foregroundElevated || desktop.selfElevated) return null;
  return (
    <div className="notice notice-warning" data-testid="elevated-window" role="status">
      <p>{t('agent.elevatedWindow')}</p>
      <button type="button" className="button button-large" data-testid="restart-elevated" onClick={() => agent.restartElevated()}>
        {t('agent.restartElevated')}
      </button>
      <p data-testid="restart-note">{t('agent.restartNote')}</p>
    </div>
  );
}

/**
 * Wayland desktops other than GNOME (and GNOME through the portal): the desktop asks the customer
 * itself, in a dialog of its own, before anything is shared. Said in plain words while it asks, and
 * what the answer means.
 */
function DesktopConsentNotice() {
  const { t } = useTranslation();
  const consent = useAgentDesktopConsent();
  if (!consent || consent === 'allowed') return null;
  return (
    <p className={consent === 'asking' ? 'notice notice-warning' : 'notice'} data-testid="desktop-consent" data-state={consent} role="status">
      {t(consent === 'asking' ? 'agent.desktopConsentAsking' : 'agent.desktopConsentRefused')}
    </p>
  );
}
