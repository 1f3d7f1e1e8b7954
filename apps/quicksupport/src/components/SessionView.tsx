import type { CustomerFlowState } from '@fernhilfe/protocol';
import { FilesCard } from '../files/FilesCard.js';
import { useStore } from '../use-session.js';
import { Chat } from './Chat.js';
import { ScreenShare } from './ScreenShare.js';
import { SessionStatus } from './SessionStatus.js';

/** Connected: who, the security code to compare, screen sharing and chat. */
export function SessionView({ state }: { state: CustomerFlowState }) {
  const store = useStore();
  return (
    <>
      <SessionStatus state={state} />
      <ScreenShare share={state.share} />
      <Chat entries={state.chat} />
      <FilesCard files={store.files} technician={state.connectedTechnician?.displayName} />
    </>
  );
}
