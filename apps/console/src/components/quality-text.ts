import type { TFunction } from 'i18next';
import type { QualityStats } from '../media/quality-meter';
import type { VideoRate } from '../media/screen-viewer';

/** What the quality indicator says, and its explanation (the tooltip). */
export interface QualityText {
  text: string;
  hint: string;
}

/**
 * The indicator's words: delay, and with the sender's `video-rate` its bitrate of the measured limit,
 * its frame rate and "reduced resolution" when it scaled the picture down; without one (browser share,
 * an older agent) what the console measured itself: pictures drawn per second and kbit/s received.
 * Numbers in the language's format (1.8 / 1,8).
 */
export function qualityText(t: TFunction, locale: string, q: QualityStats, rate: VideoRate | undefined): QualityText {
  const number = (value: number, digits: number) => new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
  const latency = q.latencyMs === undefined ? t('session.quality.noLatency') : t('session.quality.latency', { ms: number(q.latencyMs, 0) });
  const basicHint = t('session.quality.hint.basic', { fps: number(q.fps, 0), kbps: number(q.kbps, 0) });
  if (!rate) return { text: t('session.quality.value', { fps: number(q.fps, 0), latency, kbps: number(q.kbps, 0) }), hint: basicHint };

  const mbit = Math.max(rate.bitrateKbps, rate.limitKbps) >= 1000;
  const unit = mbit ? 'Mbit/s' : 'kbit/s';
  const amount = (kbps: number) => (!mbit ? number(kbps, 0) : number(kbps / 1000, kbps < 10_000 ? 1 : 0));
  const fps = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(rate.fps);
  const bitrate = amount(rate.bitrateKbps);
  const limit = rate.limitKbps > 0 ? amount(rate.limitKbps) : undefined; // 0: not measured yet
  // above the limit (the sender probes, or it measured only what it happened to send): no "x of y"
  const over = limit !== undefined && rate.bitrateKbps > rate.limitKbps;
  const rateText = !limit
    ? t('session.quality.rateNoLimit', { bitrate, unit })
    : t(over ? 'session.quality.rateOverLimit' : 'session.quality.rate', { bitrate, limit, unit });
  const reduced = rate.scale < 1;
  const parts: string[] = [t('session.quality.withRate', { latency, rate: rateText, fps })];
  if (reduced) parts.push(t('session.quality.reduced'));
  const hints: string[] = [basicHint, t('session.quality.hint.rate', { bitrate, unit, fps })];
  if (limit) hints.push(t(over ? 'session.quality.hint.overLimit' : 'session.quality.hint.limit', { limit, unit }));
  if (reduced) hints.push(t('session.quality.hint.reduced', { percent: new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(rate.scale) }));
  return { text: parts.join(' · '), hint: hints.join(' ') };
}
