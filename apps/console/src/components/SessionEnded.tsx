import { formatCustomerId } from '@fernhilfe/protocol';
import { useTranslation } from 'react-i18next';
import { describeEnd } from '../i18n/describe';
import { useConsole } from '../state/context';
import type { EndedSession } from '../state/controller';

/** Who ended the last session and why, in plain words; the connect form below takes the next one. */
export function SessionEnded({ ended }: { ended: EndedSession }) {
  const { t } = useTranslation();
  const controller = useConsole();
  return (
    <section className="card ended" data-testid="session-ended" data-reason={ended.end.reason} data-by={ended.end.by} role="status">
      <h2>
        {t('ended.heading')} ({formatCustomerId(ended.customerId)})
      </h2>
      <p className="ended-reason">{describeEnd(t, ended.end)}</p>
      <p className="hint">{t('ended.again')}</p>
      {/* the connect form is right below and its ID field has the focus: this only clears the notice */}
      <button type="button" className="button" data-testid="connect-again" onClick={() => controller.dismissEnded()}>
        {t('ended.close')}
      </button>
    </section>
  );
}
