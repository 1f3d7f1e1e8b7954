import type { Branding } from '@fernhilfe/protocol';

/**
 * Puts the operator's colours into CSS custom properties through CSSOM (allowed by the strict CSP,
 * unlike style attributes). A value the browser does not understand as a colour is skipped, so the
 * stylesheet's default stays.
 */
export function applyBranding(branding: Branding, root: HTMLElement = document.documentElement): void {
  setColor(root, '--brand-primary', branding.primaryColor);
  setColor(root, '--brand-accent', branding.accentColor);
  const onPrimary = readableTextOn(branding.primaryColor);
  if (onPrimary) root.style.setProperty('--brand-on-primary', onPrimary);
  const onAccent = readableTextOn(branding.accentColor);
  if (onAccent) root.style.setProperty('--brand-on-accent', onAccent);
}

function setColor(root: HTMLElement, name: string, value: string): void {
  if (CSS.supports('color', value)) root.style.setProperty(name, value);
}

/** Black or white text, whichever reads better on a #rgb / #rrggbb background (WCAG luminance). */
export function readableTextOn(color: string): '#ffffff' | '#111111' | undefined {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim());
  if (!m) return undefined;
  const hex = m[1]!.length === 3 ? [...m[1]!].map((c) => c + c).join('') : m[1]!;
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  // contrast ratio against white vs against #111111 (luminance 0.0056)
  return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.0556 ? '#ffffff' : '#111111';
}

/** The operator's website as an http(s) URL ("www.example.de" counts as https); anything else -> undefined. */
function websiteUrl(website: string): URL | undefined {
  try {
    const url = new URL(website.includes('://') ? website : `https://${website}`);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** "https://www.example.de/hilfe" -> "www.example.de"; anything that is not http(s) -> undefined. */
export function websiteHost(website: string): string | undefined {
  return websiteUrl(website)?.host;
}

/** A safe link target for the website (http or https only). */
export function websiteHref(website: string): string | undefined {
  return websiteUrl(website)?.href;
}

/** "+49 (30) 123 456-7" -> "tel:+49301234567" */
export function phoneHref(phone: string): string | undefined {
  const digits = phone.replace(/[^\d+]/g, '');
  return /^\+?\d{3,20}$/.test(digits) ? `tel:${digits}` : undefined;
}
