import type { CustomerFlowState } from '@fernhilfe/protocol';
import { FilesCard } from '../files/FilesCard.js';
import { useStore } from '../use-session.js';
import { Chat } from './Chat.js';
import { ConsentPrompt } from './ConsentPrompt.js';
import { ScreenShare } from './ScreenShare.js';
import { SessionStatus } from './SessionStatus.js';

/** Connected: who, the security code to compare, screen sharing and chat. */
export function SessionView({ state }: { state: CustomerFlowState }) {
  const store = useStore();
  return (
    <>
      <SessionStatus state={state} />
      {/* the browser page can be asked for recording only (control needs the program) */}
      <ConsentPrompt state={state} />
      <ScreenShare share={state.share} />
      <Chat entries={state.chat} />
      <FilesCard files={store.files} technician={state.connectedTechnician?.displayName} />
    </>
  );
}
