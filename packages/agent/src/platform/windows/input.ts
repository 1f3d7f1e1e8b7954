import { PlatformError } from '../errors.js';
import type { InputInjector, PlatformEnv } from '../types.js';

/** Placeholder until the SendInput injector lands (issue 16). */
export function openWindowsInjector(_env: PlatformEnv): Promise<InputInjector> {
  return Promise.reject(PlatformError.unavailable(['windows: input is not built yet']));
}
