import { formatWait, type CustomerFlowState } from '@fernhilfe/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** Joined a case: who the customer waits for, how long already, and the code to read out if asked. */
export function CaseWaiting({ state, supportCase }: { state: CustomerFlowState; supportCase: { code: string; technician: string } }) {
  const { t } = useTranslation();
  const now = useNow(1000);
  const since = state.registeredAt ?? now;
  const name = supportCase.technician.trim();
  return (
    <section className="card credentials case-waiting">
      <h2 data-testid="case-waiting-for">{name && name !== '-' ? t('supportCase.waitingFor', { name }) : t('supportCase.waitingForAnyone')}</h2>
      <p data-testid="case-waited">{t('supportCase.waited', { time: formatWait(now - since) })}</p>
      <p>{t('supportCase.yourCode')}</p>
      <p className="credential-value credential-password" data-testid="case-code">
        {supportCase.code}
      </p>
    </section>
  );
}

function useNow(everyMs: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
