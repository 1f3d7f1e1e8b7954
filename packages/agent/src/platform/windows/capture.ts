import { PlatformError } from '../errors.js';
import type { CaptureOptions, PlatformEnv, ScreenCapture } from '../types.js';

/** Placeholder until the GDI / Desktop Duplication capture lands (issue 16). */
export function openWindowsCapture(_env: PlatformEnv, _opts: CaptureOptions = {}): Promise<ScreenCapture> {
  return Promise.reject(PlatformError.unavailable(['windows: screen capture is not built yet']));
}
