import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { de } from '../i18n/de';
import { en } from '../i18n/en';
import { qualityText } from './quality-text';

const stats = { fps: 23, latencyMs: 41, kbps: 1750 };
const rate = { bitrateKbps: 1800, limitKbps: 4200, fps: 24, scale: 0.5 };

describe('the quality indicator\'s words', () => {
  let tEn: TFunction;
  let tDe: TFunction;
  beforeAll(async () => {
    const i18n = i18next.createInstance();
    await i18n.init({ resources: { de: { translation: de }, en: { translation: en } }, lng: 'en', interpolation: { escapeValue: false }, showSupportNotice: false });
    tEn = i18n.getFixedT('en');
    tDe = i18n.getFixedT('de');
  });

  it('shows the sender\'s bitrate of its limit, its frame rate and a reduced resolution, in English and German', () => {
    expect(qualityText(tEn, 'en', stats, rate).text).toBe('41 ms delay · 1.8 of 4.2 Mbit/s · 24 fps · reduced resolution');
    expect(qualityText(tDe, 'de', stats, rate).text).toBe('41 ms Verzögerung · 1,8 von 4,2 Mbit/s · 24 B/s · verringerte Auflösung');
    const hint = qualityText(tDe, 'de', stats, rate).hint;
    expect(hint).toContain('etwa 4,2 Mbit/s');
    expect(hint).toMatch(/mit 50\s%/); // Intl puts a no-break space there
  });

  it('uses kbit/s on a slow link, drops the limit while none is measured, and says nothing of resolution at full size', () => {
    expect(qualityText(tEn, 'en', stats, { bitrateKbps: 350, limitKbps: 800, fps: 7.5, scale: 1 }).text).toBe('41 ms delay · 350 of 800 kbit/s · 7.5 fps');
    expect(qualityText(tDe, 'de', stats, { bitrateKbps: 12_400, limitKbps: 0, fps: 30, scale: 1 }).text).toBe('41 ms Verzögerung · 12 Mbit/s · 30 B/s');
    expect(qualityText(tEn, 'en', stats, { bitrateKbps: 12_400, limitKbps: 0, fps: 30, scale: 1 }).hint).not.toContain('measured');
  });

  it('never says "1.0 of 0.4": a bitrate above the measured limit is shown as what gets through', () => {
    const over = { bitrateKbps: 1000, limitKbps: 400, fps: 6, scale: 1 };
    expect(qualityText(tEn, 'en', stats, over).text).toBe('41 ms delay · 1.0 Mbit/s, 0.4 get through · 6 fps');
    expect(qualityText(tDe, 'de', stats, over).text).toBe('41 ms Verzögerung · 1,0 Mbit/s, 0,4 kommen an · 6 B/s');
    expect(qualityText(tEn, 'en', stats, over).hint).not.toContain('stays below');
  });

  it('without a video-rate shows only what the console measured, no made-up figures', () => {
    const plain = qualityText(tEn, 'en', stats, undefined);
    expect(plain.text).toBe('23 fps · 41 ms delay · 1,750 kbit/s');
    expect(plain.text).not.toMatch(/ of |Mbit/);
    expect(qualityText(tDe, 'de', { fps: 0, latencyMs: undefined, kbps: 0 }, undefined).text).toBe('0 B/s · – ms Verzögerung · 0 kbit/s');
  });
});
