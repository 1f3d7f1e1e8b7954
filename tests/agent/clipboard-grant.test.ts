import type { ControlMessage } from '@fernhilfe/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clipboardFeature } from '../../packages/agent/src/clipboard/feature.js';
import { X11Clipboard } from '../../packages/agent/src/platform/x11/clipboard.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectNothingFor } from '../support/quiet.js';
import { openClipboardHolder, type ClipboardHolder } from './support/clipboard-holder.js';
import { openInputSession, type InputSession } from './support/input-session.js';
import { startInputScreen, until, type InputScreen } from './support/input-x.js';

/** The agent asks a new clipboard owner for its text within milliseconds of XFIXES telling it; we watch this long for a request that must not come. */
const NO_READ_WATCH_MS = 1_000;

/**
 * The clipboard grant decides what the agent reads, not only what it sends: with a clipboard owner
 * that answers only when the test says so (a slow application), the test sees whether the agent asked
 * for the text at all, and what the technician received.
 */
describe('the clipboard grant holds across a slow read', () => {
  let srv: TestServer;
  let screen: InputScreen;
  let holder: ClipboardHolder;
  let s: InputSession;
  const textsHeard = () => s.techHeard.filter((m): m is Extract<ControlMessage, { type: 'clipboard-text' }> => m.type === 'clipboard-text').map((m) => m.text);

  beforeAll(async () => {
    srv = await startTestServer();
    screen = await startInputScreen();
    holder = await openClipboardHolder(screen.display);
    s = await openInputSession(srv, screen.display, (consent) => [clipboardFeature({ consent, openClipboard: () => X11Clipboard.open(screen.display) })]);
  });
  afterAll(async () => {
    await s?.close();
    await holder?.close();
    await screen?.stop();
    await srv?.close();
  });

  it('after the customer revokes sharing, the agent does not even read what they copy', async () => {
    const asked = s.consent.once('requested');
    const allowed = s.heard('clipboard-allowed');
    await s.tech.sendControl({ type: 'clipboard-request' });
    expect((await asked).what).toBe('clipboard');
    s.consent.allow('clipboard');
    await allowed;
    // the technician's text becomes the clipboard: from then on the agent's clipboard is open and listening
    await holder.copy('vorher');
    await s.tech.sendControl({ type: 'clipboard-text', text: 'vom Techniker' });
    expect(await until(async () => !(await holder.owns()), 5_000)).toBe(true);
    // while allowed: read and sent
    await holder.copy('geteilt');
    expect(await until(() => holder.requests > 0, 5_000), 'the agent did not ask for the text').toBe(true);
    holder.answer();
    expect(await until(() => textsHeard().includes('geteilt'), 5_000)).toBe(true);

    const revoked = s.heard('clipboard-revoked');
    s.consent.revoke('clipboard');
    await revoked;
    const seen = holder.requests;
    await holder.copy('Kennwort aus dem Passwortmanager');
    await expectNothingFor(NO_READ_WATCH_MS, 'the agent does not ask for the clipboard after the revoke', () => expect(holder.requests - seen, 'requests for the clipboard after the revoke').toBe(0));
    holder.answer();
  });

  it('a copy whose slow read outlasts a revoke is not sent, even when sharing is allowed again before the read ends', async () => {
    const allowed = s.heard('clipboard-allowed');
    s.consent.allow('clipboard');
    await allowed;
    const before = textsHeard().length;
    const asked = holder.requests;

    await holder.copy('kopiert vor dem Widerruf');
    expect(await until(() => holder.requests > asked, 5_000), 'the agent did not ask for the text').toBe(true);
    const revoked = s.heard('clipboard-revoked');
    s.consent.revoke('clipboard');
    await revoked;
    s.consent.allow('clipboard'); // the customer allows sharing again while the old read still waits
    holder.answer();

    // what is copied under the new grant arrives; the channel is ordered, so the old copy, had it been sent, would be there first
    const seen = holder.requests;
    await holder.copy('kopiert nach der neuen Erlaubnis');
    expect(await until(() => holder.requests > seen, 5_000)).toBe(true);
    holder.answer();
    expect(await until(() => textsHeard().includes('kopiert nach der neuen Erlaubnis'), 5_000)).toBe(true);
    expect(textsHeard().slice(before)).toEqual(['kopiert nach der neuen Erlaubnis']);
  });
});
