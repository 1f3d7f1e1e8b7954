import { formatCustomerId } from '@fernhilfe/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LiveSession } from '../session/live-session';
import { PathIndicator } from './PathIndicator';
import { ControlButton } from './ControlButton';
import { QualityIndicator } from './QualityIndicator';
import { RecordingButton } from './RecordingButton';
import { SasBadge } from './SasBadge';

export function SessionBar({ live }: { live: LiveSession }) {
  const { t } = useTranslation();
  const [ending, setEnding] = useState(false);
  return (
    <div className="session-bar">
      <span className="session-customer">{t('session.customer', { id: formatCustomerId(live.customerId) })}</span>
      <SasBadge sas={live.sas} />
      <QualityIndicator live={live} />
      <PathIndicator live={live} />
      <ControlButton live={live} />
      <RecordingButton live={live} />
      <button
        type="button"
        className="button button--danger"
        data-testid="end-session"
        disabled={ending}
        onClick={() => {
          setEnding(true);
          void live.end();
        }}
      >
        {t('session.end')}
      </button>
    </div>
  );
}
