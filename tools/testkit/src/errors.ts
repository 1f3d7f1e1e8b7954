import { FernhilfeError } from '@fernhilfe/protocol';

/** Why a test helper could not do its part: the X server, the browser, a process, an X11 request or a page. */
export type TestkitFailure = 'xvfb' | 'chromium' | 'process' | 'x11' | 'page';

/** A helper of the test kit failed; `reason` names the part that did. */
export class TestkitError extends FernhilfeError<TestkitFailure> {
  override readonly name = 'TestkitError';
}
