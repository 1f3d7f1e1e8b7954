import { CaptureError } from './errors.js';
import type { CaptureOptions, ScreenCapture } from './types.js';
import { openX11Capture } from './x11-capture.js';

export * from './types.js';
export * from './errors.js';

/** One backend per platform; Windows (DXGI desktop duplication) and macOS (ScreenCaptureKit) come later. */
const backends: Partial<Record<NodeJS.Platform, (opts: CaptureOptions) => Promise<ScreenCapture>>> = {
  linux: openX11Capture,
};

export function openScreenCapture(opts: CaptureOptions = {}, platform: NodeJS.Platform = process.platform): Promise<ScreenCapture> {
  const open = backends[platform];
  if (!open) return Promise.reject(CaptureError.unsupportedPlatform(platform));
  return open(opts);
}
