import { useTranslation } from 'react-i18next';
import type { SessionState } from '../session-state.js';
import { FilesCard } from '../files/FilesCard.js';
import { useStore } from '../use-session.js';
import { Chat } from './Chat.js';
import { SasNotice } from './SasNotice.js';
import { ScreenShare } from './ScreenShare.js';
import { StatusPanel } from './StatusPanel.js';

/** Connected: who, the security code to compare, screen sharing and chat. */
export function SessionView({ state }: { state: SessionState }) {
  const { t } = useTranslation();
  const store = useStore();
  return (
    <>
      <StatusPanel state={state} />
      {state.reconnecting && (
        <p className="notice notice-warning" data-testid="reconnecting" role="status">
          {t('status.reconnecting')}
        </p>
      )}
      {state.sas && <SasNotice sas={state.sas} />}
      <ScreenShare share={state.share} />
      <Chat entries={state.chat} />
      <FilesCard files={store.files} technician={state.connectedTechnician?.displayName} />
    </>
  );
}
