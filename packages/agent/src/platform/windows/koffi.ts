import type * as Koffi from 'koffi';
import { PlatformError } from '../errors.js';
import type { PlatformEnv } from '../types.js';

/** koffi's API (the native module's exports; the `koffi` npm package gives the types). */
export type KoffiApi = typeof Koffi;

let loaded: { file: string; api: KoffiApi } | undefined;

/**
 * koffi's win32-x64 native module, the FFI through which the Windows backends call user32, gdi32
 * and kernel32. It is a file: FERNHILFE_KOFFI_NATIVE in `env` names it. The packaged program
 * unpacks it from its own executable into the session's folder and puts that path into the
 * environment it hands to the platform (runtime/); tests point at the pinned registry package
 * (tools/testkit/src/wine.ts). Loaded once per process, with process.dlopen, so that neither a
 * bundler nor node_modules are involved.
 */
export function loadKoffi(env: PlatformEnv): KoffiApi {
  const file = env.FERNHILFE_KOFFI_NATIVE;
  if (!file) throw PlatformError.unavailable(['windows: FERNHILFE_KOFFI_NATIVE does not name koffi.node (the program unpacks it at start)']);
  if (loaded) return loaded.api;
  const module = { exports: {} as KoffiApi };
  process.dlopen(module, file);
  loaded = { file, api: module.exports };
  return loaded.api;
}
