import { useTranslation } from 'react-i18next';
import type { CustomerFlowState } from '@fernhilfe/protocol';
import { SasNotice } from './SasNotice.js';
import { StatusPanel } from './StatusPanel.js';

/** The top of a connected session: who is connected, a notice while the connection is restored, the security code. */
export function SessionStatus({ state }: { state: CustomerFlowState }) {
  const { t } = useTranslation();
  return (
    <>
      <StatusPanel state={state} />
      {state.reconnecting && (
        <p className="notice notice-warning" data-testid="reconnecting" role="status">
          {t('status.reconnecting')}
        </p>
      )}
      {state.sas && <SasNotice sas={state.sas} />}
    </>
  );
}
