import type { AgentPlatform } from '@fernhilfe/protocol';

/** One platform's build in AGENT_DIR: its file name (as `npm run build:agent` writes it) and where it is served. */
export interface PlatformBuild {
  platform: AgentPlatform;
  os: 'windows' | 'linux';
  file: string;
  downloadUrl: string;
  signatureUrl: string;
  /** the settings key remembering the newest release offered, so the server never goes back */
  newestKey: string;
}

/** The file name of the Linux build, in AGENT_DIR and as offered for download. */
export const AGENT_FILE = 'fernhilfe-quicksupport-linux-x64';
/** The file name of the Windows build. */
export const AGENT_FILE_WINDOWS = 'fernhilfe-quicksupport.exe';

/** Every platform the server looks for, in the order the QuickSupport page lists them when the visitor's OS is not among them. */
export const AGENT_PLATFORMS: readonly PlatformBuild[] = [
  { platform: 'win-x64', os: 'windows', file: AGENT_FILE_WINDOWS, downloadUrl: '/download/agent-win-x64', signatureUrl: '/download/agent-win-x64.sig', newestKey: 'agent-download.newest-release.win-x64' },
  // the Linux build keeps the addresses and settings key it had when it was the only one
  { platform: 'linux-x64', os: 'linux', file: AGENT_FILE, downloadUrl: '/download/agent', signatureUrl: '/download/agent.sig', newestKey: 'agent-download.newest-release' },
];

export const LINUX_BUILD = AGENT_PLATFORMS.find((p) => p.platform === 'linux-x64')!;
