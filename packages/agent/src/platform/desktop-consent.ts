/**
 * The desktop's own consent dialog (Wayland's xdg-desktop-portal asks the customer before anything is
 * shared): 'asking' while it shows, then 'allowed' or 'refused'. The program's page explains it in
 * plain words (ui-server.ts forwards it); process-wide, as the dialog is.
 */
export type DesktopConsent = 'asking' | 'allowed' | 'refused';

const listeners = new Set<(state: DesktopConsent) => void>();
let last: DesktopConsent | undefined;

export const desktopConsent = {
  get current(): DesktopConsent | undefined {
    return last;
  },
  on(listener: (state: DesktopConsent) => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  announce(state: DesktopConsent): void {
    last = state;
    for (const l of listeners) l(state);
  },
};
