import { Consent, FileFeature, X11Clipboard, X11Injector, clipboardFeature, consentFeature, inputFeature, screenFeature } from '../index.js';
import type { Grant } from '../consent/types.js';
import type { AgentFeature } from '../session/feature.js';
import type { Log } from './log.js';
import type { KitSource } from './session-kit.js';

export interface KitOptions {
  /** the X display to share and control (DISPLAY); without one only chat works */
  display: string | undefined;
  log: Log;
  /** where accepted files go; default: the customer's Downloads folder (XDG_DOWNLOAD_DIR, else ~/Downloads) */
  downloads?: string;
}

/**
 * The agent's features, made fresh for each session: consent and file transfer always; with an X display the screen
 * (capture + H.264), remote input (XTEST, in the coordinates of the monitor the screen feature
 * shows) and the clipboard, the last two acting only while the customer allows them.
 */
export function agentKit(opts: KitOptions): KitSource {
  const display = opts.display;
  const grants: Grant[] = display ? ['control', 'clipboard'] : [];
  return {
    grants,
    screen: Boolean(display),
    make: () => {
      const consent = new Consent();
      const files = new FileFeature(opts.downloads ? { folder: opts.downloads } : {});
      const features: AgentFeature[] = [consentFeature(consent)];
      if (display) {
        const screen = screenFeature({ capture: { display }, log: opts.log });
        features.push(
          screen,
          inputFeature({ consent, openInjector: () => X11Injector.open(display), geometry: () => screen.geometry(), log: opts.log }),
          clipboardFeature({ consent, openClipboard: () => X11Clipboard.open(display), log: opts.log }),
        );
      }
      features.push(files);
      return { consent, features, files };
    },
  };
}
