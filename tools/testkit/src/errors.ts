import { FernhilfeError } from '@fernhilfe/protocol';

/** Why a test helper could not do its part: the X server, the browser, a process, an X11 request, a page or the bench network (namespaces, link emulator). */
export type TestkitFailure = 'xvfb' | 'chromium' | 'process' | 'x11' | 'page' | 'network';

/** A helper of the test kit failed; `reason` names the part that did. */
export class TestkitError extends FernhilfeError<TestkitFailure> {
  override readonly name = 'TestkitError';
}
