import { useTranslation } from 'react-i18next';
import type { QualityStats } from '../media/quality-meter';
import type { LiveSession } from '../session/live-session';
import { useStore } from '../state/use-store';

function level(q: QualityStats): 'good' | 'fair' | 'poor' | 'idle' {
  if (q.latencyMs === undefined) return 'idle'; // nothing drawn this second (a still screen sends nothing)
  if (q.latencyMs < 150) return 'good';
  return q.latencyMs < 400 ? 'fair' : 'poor';
}

/** Frames drawn per second, delay (draw time − capture time), and kbit/s received; updated every second. */
export function QualityIndicator({ live }: { live: LiveSession }) {
  const { t } = useTranslation();
  const q = useStore(live.store, (s) => s.quality);
  const latency = q.latencyMs === undefined ? t('session.quality.noLatency') : t('session.quality.latency', { ms: String(q.latencyMs) });
  return (
    <div
      className={`quality quality--${level(q)}`}
      data-testid="quality"
      data-fps={q.fps}
      data-latency-ms={q.latencyMs ?? ''}
      data-kbps={q.kbps}
      title={t('session.quality.label')}
    >
      <span className="quality-dot" aria-hidden="true" />
      {t('session.quality.value', { fps: String(q.fps), latency, kbps: String(q.kbps) })}
    </div>
  );
}
