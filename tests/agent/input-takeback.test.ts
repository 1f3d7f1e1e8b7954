import type { InputEvent } from '@fernhilfe/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectNothingFor } from '../support/quiet.js';
import { openKeyRecorder, type KeyRecorder } from './support/input-recorder.js';
import { openInputSession, type InputSession } from './support/input-session.js';
import { startInputScreen, until, type InputScreen } from './support/input-x.js';

/** After the customer takes control back, a key the X server stamps later than this is a failure. */
const REVOKE_TOLERANCE_MS = 50;
/** The agent looks for local input every 50 ms (LOCAL_POLL_MS in input/feature.ts); after that, the same tolerance. */
const LOCAL_TOLERANCE_MS = 50 + 50;
/** How long we watch for late typing: a backlog on lent keycodes types for many seconds, so 2 s shows it. */
const WATCH_MS = 2_000;
/** Where the recording window sits (the pointer stays inside it: the focus follows the pointer). */
const AREA = { x: 700, y: 300, width: 400, height: 300 };

/**
 * 2,000 distinct CJK characters: no key of any layout types them, so each is typed on a lent spare
 * keycode, and once the spares are used up every new one waits for a keycode to be free (300 ms), so
 * far more is queued than typed when the customer intervenes.
 */
function exoticText(n: number): InputEvent[] {
  const out: InputEvent[] = [];
  for (let i = 0; i < n; i++) {
    const key = String.fromCodePoint(0x4e00 + i);
    out.push({ type: 'key', down: true, code: 'KeyA', key }, { type: 'key', down: false, code: 'KeyA', key });
  }
  return out;
}

/** signed difference of two 32-bit X timestamps */
const after = (t: number, mark: number) => (t - mark) | 0;

/**
 * Taking back control must stop what the technician queued: a real server, the agent's input feature,
 * XTEST into a real Xvfb, and a window of another X client that records every key the X server
 * delivers, stamped by the X server's clock.
 */
describe('taking back control stops queued input at once', () => {
  let srv: TestServer;
  let screen: InputScreen;
  let rec: KeyRecorder;
  let s: InputSession | undefined;
  beforeAll(async () => {
    srv = await startTestServer();
    screen = await startInputScreen();
    await screen.setLayout('us');
    rec = await openKeyRecorder(screen.display, AREA);
  });
  afterAll(async () => {
    await s?.close();
    rec?.close();
    await screen?.stop();
    await srv?.close();
  });

  /** control granted, the pointer in the recording window, 2,000 characters on their way; resolves once typing is under way */
  async function flood(): Promise<{ sending: Promise<void>; typedBefore: number }> {
    s = await openInputSession(srv, screen.display);
    await s.grantControl();
    await s.send([{ type: 'pointer-move', x: AREA.x + 100, y: AREA.y + 100 }]);
    const start = rec.presses.length;
    const sending = s.send(exoticText(2_000));
    expect(await until(() => rec.presses.length - start >= 30, 20_000), 'typing did not start').toBe(true);
    return { sending, typedBefore: start };
  }

  it('a revoke: no key reaches the X server later than 50 ms after it, and nothing stays held', async () => {
    const { sending, typedBefore } = await flood();
    s!.consent.revoke('control');
    const revokedAt = await rec.mark();
    await sending;
    const lateKeys = () => rec.presses.slice(typedBefore).filter((p) => after(p.time, revokedAt) > REVOKE_TOLERANCE_MS);
    await expectNothingFor(WATCH_MS, `no key reaches the X server later than ${REVOKE_TOLERANCE_MS} ms after the revoke`, () => expect(lateKeys()).toEqual([]));
    const typed = rec.presses.slice(typedBefore);
    const late = lateKeys();
    expect(late.length, `${late.length} of ${typed.length} keys came more than ${REVOKE_TOLERANCE_MS} ms after the revoke`).toBe(0);
    expect(typed.length).toBeLessThan(2_000);
    expect(await screen.keysDown()).toEqual([]);
    await s!.close();
    s = undefined;
  });

  it('the customer moves the mouse: no key reaches the X server later than one look (+50 ms) after it', async () => {
    const { sending, typedBefore } = await flood();
    await sending; // all of it reached the agent before the customer's hand: what comes after the quiet second would count again
    const movedAt = await rec.localMove(AREA.x + 200, AREA.y + 150);
    const lateKeys = () => rec.presses.slice(typedBefore).filter((p) => after(p.time, movedAt) > LOCAL_TOLERANCE_MS);
    await expectNothingFor(WATCH_MS, `no key reaches the X server later than ${LOCAL_TOLERANCE_MS} ms after the local move`, () => expect(lateKeys()).toEqual([]));
    const typed = rec.presses.slice(typedBefore);
    const late = lateKeys();
    expect(late.length, `${late.length} of ${typed.length} keys came more than ${LOCAL_TOLERANCE_MS} ms after the local move`).toBe(0);
    expect(await screen.keysDown()).toEqual([]);
    // 4,000 key events reached the agent, far more than may wait (500): the rest was dropped, and the log says why
    expect(s!.errors).toContain('dropped remote input: too much is waiting to be injected');
    await s!.close();
    s = undefined;
  });
});
