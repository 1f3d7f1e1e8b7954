import type { Page } from 'playwright-core';
import type { InputEvent } from '@fernhilfe/protocol';

/**
 * Types into the console as a technician's keyboard does: each key event (from `keystrokes()` of
 * input-keys.ts: physical `code`, the `key` it means, Shift and AltGr pressed around it) sent through
 * CDP, Chromium's own input pipeline (Playwright's keyboard knows US keys only).
 */
export async function typeInConsole(page: Page, events: InputEvent[]): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  let modifiers = 0;
  for (const e of events) {
    if (e.type !== 'key') continue;
    if (e.key === 'Shift') modifiers = e.down ? modifiers | 8 : modifiers & ~8;
    const typed = e.down && [...e.key].length === 1;
    await cdp.send('Input.dispatchKeyEvent', {
      type: e.down ? (typed ? 'keyDown' : 'rawKeyDown') : 'keyUp',
      key: e.key,
      code: e.code,
      modifiers,
      ...(typed ? { text: e.key } : e.key === 'Enter' && e.down ? { text: '\r' } : {}),
    });
  }
  await cdp.detach();
}
