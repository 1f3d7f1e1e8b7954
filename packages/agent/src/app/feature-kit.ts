import { Consent, FileFeature, choosePlatform, clipboardFeature, consentFeature, inputFeature, screenFeature, type Platform, type PlatformEnv } from '../index.js';
import type { Grant } from '../consent/types.js';
import type { AgentFeature } from '../session/feature.js';
import type { Log } from './log.js';
import type { KitSource } from './session-kit.js';

export interface KitOptions {
  /** where the platform table looks for a desktop (DISPLAY for X11); without one only chat and files work */
  env: PlatformEnv;
  log: Log;
  /** where accepted files go; default: the customer's Downloads folder (the platform's, else XDG_DOWNLOAD_DIR, else ~/Downloads) */
  downloads?: string;
}

/**
 * The agent's features, made fresh for each session: consent and file transfer always; where the
 * platform table finds a desktop (X11: DISPLAY set) the screen (capture + H.264), remote input (in the
 * coordinates of the monitor the screen feature shows) and the clipboard, the last two acting only
 * while the customer allows them.
 */
export function agentKit(opts: KitOptions): KitSource {
  const { env } = opts;
  const platform = desktop(opts);
  const grants: Grant[] = platform ? ['control', 'clipboard'] : [];
  return {
    grants,
    screen: Boolean(platform),
    ...(platform?.openPanel ? { openPanel: (title: string) => platform.openPanel!(env, { title }) } : {}),
    ...(platform?.openNotifier ? { openNotifier: (appName: string) => platform.openNotifier!(env, { appName }) } : {}),
    make: () => {
      const consent = new Consent();
      const folder = opts.downloads ?? platform?.downloadsFolder?.(env);
      const files = new FileFeature(folder ? { folder } : {});
      const features: AgentFeature[] = [consentFeature(consent)];
      if (platform) {
        const screen = screenFeature({ openCapture: () => platform.openCapture(env), log: opts.log });
        features.push(
          screen,
          inputFeature({ consent, openInjector: () => platform.openInjector(env), geometry: () => screen.geometry(), log: opts.log }),
          clipboardFeature({ consent, openClipboard: () => platform.openClipboard(env), log: opts.log }),
        );
      }
      features.push(files);
      return { consent, features, files };
    },
  };
}

/** The platform the table picks for this machine, or none (logged with what is missing). */
function desktop(opts: KitOptions): Platform | undefined {
  try {
    const platform = choosePlatform(opts.env);
    opts.log.info({ platform: platform.name }, `screen sharing and remote control through ${platform.name}: ${platform.chosenBecause?.(opts.env) ?? 'the platform for this machine'}`);
    return platform;
  } catch (err) {
    opts.log.info({ err }, 'no screen sharing or remote control here');
    return undefined;
  }
}
