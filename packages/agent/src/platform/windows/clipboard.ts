import { PlatformError } from '../errors.js';
import type { ClipboardBackend, PlatformEnv } from '../types.js';

/** Placeholder until the clipboard backend lands (issue 16). */
export function openWindowsClipboard(_env: PlatformEnv): Promise<ClipboardBackend> {
  return Promise.reject(PlatformError.unavailable(['windows: the clipboard is not built yet']));
}
