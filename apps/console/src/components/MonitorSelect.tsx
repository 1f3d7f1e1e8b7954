import { useTranslation } from 'react-i18next';
import type { LiveSession } from '../session/live-session';
import { useStore } from '../state/use-store';

/** Which of the customer's monitors to show; only there when the agent reported more than one. */
export function MonitorSelect({ live }: { live: LiveSession }) {
  const { t } = useTranslation();
  const monitors = useStore(live.remote.store, (s) => s.monitors);
  const selected = useStore(live.remote.store, (s) => s.selected);
  if (monitors.length < 2) return null;
  return (
    <label className="monitor-select">
      <span>{t('session.monitor')}</span>
      <select data-testid="monitor-select" value={selected ?? ''} onChange={(e) => live.remote.select(e.target.value)}>
        {monitors.map((m, i) => (
          <option key={m.id} value={m.id}>
            {t('session.monitorOption', { n: String(i + 1), name: m.name, width: String(m.width), height: String(m.height) })}
            {m.primary ? ` · ${t('session.monitorPrimary')}` : ''}
          </option>
        ))}
      </select>
    </label>
  );
}
