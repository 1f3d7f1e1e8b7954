import type { ConsentPort } from '@fernhilfe/client';
import type { Grant } from '../consent/types.js';
import type { FileFeature } from '../files/feature.js';
import type { DesktopNotifier, PanelWindow } from '../platform/types.js';
import type { AgentFeature } from '../session/feature.js';

/** The features for one session, made fresh when the encrypted session opens. */
export interface SessionKit {
  features: AgentFeature[];
  /** absent when the agent runs no feature that needs consent */
  consent?: ConsentPort;
  /** file transfer (files/feature.ts), shown by the faces through AgentFiles */
  files?: FileFeature;
}

/** The features this agent has (found at start, see feature-kit.ts) and a way to make them for a session. */
export interface KitSource {
  /** what the customer can be asked to grant */
  grants: Grant[];
  /** a screen feature shares the X screen */
  screen: boolean;
  make(): SessionKit;
  /** the platform's session panel window (X11), where it has one: panel/panel-ui.ts shows it during a session */
  openPanel?(title: string): Promise<PanelWindow>;
  /** the desktop's notifications (Wayland), where it has them: notify/ announces requests there when there is no panel */
  openNotifier?(appName: string): Promise<DesktopNotifier>;
}

export const emptyKit: KitSource = { grants: [], screen: false, make: () => ({ features: [] }) };
