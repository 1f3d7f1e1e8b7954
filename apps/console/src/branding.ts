import type { Branding } from '@fernhilfe/protocol';

/** Applies the operator's colours through CSSOM (allowed by the CSP) and names the page. */
export function applyBranding(branding: Branding | undefined, root: HTMLElement = document.documentElement): void {
  const colours: [string, string | undefined][] = [
    ['--brand', branding?.primaryColor],
    ['--accent', branding?.accentColor],
  ];
  for (const [name, value] of colours) {
    if (value && CSS.supports('color', value)) root.style.setProperty(name, value);
    else root.style.removeProperty(name);
  }
}
