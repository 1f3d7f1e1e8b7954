import path from 'node:path';
import type { PlatformEnv } from '../types.js';
import { loadKoffi } from './koffi.js';

/** FOLDERID_Downloads, {374DE290-123F-4565-9164-39C4925E467B} */
const FOLDERID_DOWNLOADS = { Data1: 0x374de290, Data2: 0x123f, Data3: 0x4565, Data4: [0x91, 0x64, 0x39, 0xc4, 0x92, 0x5e, 0x46, 0x7b] };

type Fn = (...args: unknown[]) => unknown;
let shell: { koffi: ReturnType<typeof loadKoffi>; get: Fn; free: Fn } | undefined;

function declare(env: PlatformEnv): NonNullable<typeof shell> {
  const koffi = loadKoffi(env);
  koffi.struct('FH_GUID', { Data1: 'uint32', Data2: 'uint16', Data3: 'uint16', Data4: koffi.array('uint8', 8) });
  const get = koffi.load('shell32.dll').func('int32 __stdcall SHGetKnownFolderPath(FH_GUID *, uint32, void *, _Out_ void **)');
  const free = koffi.load('ole32.dll').func('void __stdcall CoTaskMemFree(void *)');
  return { koffi, get, free };
}

/**
 * The customer's Downloads folder as Explorer shows it: SHGetKnownFolderPath(FOLDERID_Downloads)
 * (the user may have moved it, e.g. to D:\Downloads); %USERPROFILE%\Downloads when that fails.
 */
export function windowsDownloadsFolder(env: PlatformEnv): string | undefined {
  try {
    const { koffi, get, free } = (shell ??= declare(env));
    const out: unknown[] = [null];
    const hr = get(FOLDERID_DOWNLOADS, 0, null, out) as number;
    if (hr === 0 && out[0]) {
      try {
        return koffi.decode.string16(out[0]);
      } finally {
        free(out[0]);
      }
    }
  } catch {
    // no koffi or no shell32: the profile's folder below
  }
  return env.USERPROFILE ? path.win32.join(env.USERPROFILE, 'Downloads') : undefined;
}
