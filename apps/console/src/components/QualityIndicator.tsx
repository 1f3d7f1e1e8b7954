import { useTranslation } from 'react-i18next';
import type { QualityStats } from '../media/quality-meter';
import type { LiveSession } from '../session/live-session';
import { useStore } from '../state/use-store';
import { qualityText } from './quality-text';

function level(q: QualityStats): 'good' | 'fair' | 'poor' | 'idle' {
  if (q.latencyMs === undefined) return 'idle'; // nothing drawn this second (a still screen sends nothing)
  if (q.latencyMs < 150) return 'good';
  return q.latencyMs < 400 ? 'fair' : 'poor';
}

/**
 * Delay (draw time − capture time), updated every second, and the sender's rate control when it
 * reports one (`video-rate`: bitrate of the measured limit, frame rate, reduced resolution); without
 * one, frames drawn per second and kbit/s received. The tooltip explains the figures.
 */
export function QualityIndicator({ live }: { live: LiveSession }) {
  const { t, i18n } = useTranslation();
  const q = useStore(live.store, (s) => s.quality);
  const rate = useStore(live.store, (s) => s.rate);
  const { text, hint } = qualityText(t, i18n.language, q, rate);
  return (
    <div
      className={`quality quality--${level(q)}`}
      data-testid="quality"
      data-fps={q.fps}
      data-latency-ms={q.latencyMs ?? ''}
      data-kbps={q.kbps}
      data-rate-kbps={rate?.bitrateKbps ?? ''}
      data-limit-kbps={rate?.limitKbps ?? ''}
      data-scale={rate?.scale ?? ''}
      title={hint}
      aria-label={`${t('session.quality.label')}: ${text}`}
    >
      <span className="quality-dot" aria-hidden="true" />
      {text}
    </div>
  );
}
