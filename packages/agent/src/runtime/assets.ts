import sea from 'node:sea';

/**
 * Files carried inside the QuickSupport single executable (the build adds them to the SEA config):
 * - `'encoder'`: fernhilfe-encoder for the program's own platform (packages/agent/native/encoder)
 * - `'koffi.node'`: koffi's native addon (Windows: user32/gdi32; Linux: GStreamer on Wayland)
 */
export type AssetName = 'encoder' | 'koffi.node';

/** The bytes of an embedded file; undefined when the program is not a single executable or lacks it. */
export function embeddedAsset(name: AssetName): Buffer | undefined {
  if (!sea.isSea()) return undefined;
  try {
    return Buffer.from(sea.getAsset(name));
  } catch {
    return undefined; // this build carries no such asset
  }
}
