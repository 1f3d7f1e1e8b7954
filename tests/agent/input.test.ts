import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectNothingFor, holdStill } from '../support/quiet.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { enter, keystrokes } from './support/input-keys.js';
import { openPointerRecorder } from './support/input-recorder.js';
import { click, openInputSession } from './support/input-session.js';
import { startInputScreen, until, type InputScreen } from './support/input-x.js';

/**
 * Remote input end to end without a browser: a real server, the agent's consent + input features on
 * a customer endpoint, XTEST into a real Xvfb, and an xterm (an independent X client) whose `cat`
 * writes what it received to a file. The technician is a Node endpoint sending what the console sends.
 */
describe('remote input into a real X server', () => {
  let srv: TestServer;
  let screen: InputScreen;
  beforeAll(async () => {
    srv = await startTestServer();
    screen = await startInputScreen();
  });
  afterAll(async () => {
    await screen?.stop();
    await srv?.close();
  });

  const intoTerminal = () => click(screen.terminal.x + 40, screen.terminal.y + 20);

  const cases = [
    { customer: 'de', technician: 'de', text: 'Grüße @€{}[]|\\~ 123' },
    { customer: 'us', technician: 'de', text: 'Grüße @€{}[]|\\~ 123' },
    { customer: 'de', technician: 'us', text: 'Hello @{}[]|\\~ 123 yz' },
    { customer: 'us', technician: 'us', text: 'Hello @{}[]|\\~ 123 yz' },
  ] as const;
  for (const c of cases) {
    it(`a ${c.technician} technician types "${c.text}" on a ${c.customer} customer keyboard and exactly that arrives`, async () => {
      await screen.setLayout(c.customer);
      const s = await openInputSession(srv, screen.display);
      try {
        await s.grantControl();
        const before = screen.typed();
        await s.send([...intoTerminal(), ...keystrokes(c.text, c.technician), ...enter]);
        const want = before + c.text + '\n';
        await until(() => screen.typed().length >= want.length, 10_000);
        expect(screen.typed()).toBe(want);
        // Return is typed on its press; its release follows: then no key is held
        expect(await until(async () => (await screen.keysDown()).length === 0, 5_000), `still held: ${String(await screen.keysDown())}`).toBe(true);
        expect(s.errors).toEqual([]);
      } finally {
        await s.close();
      }
    });
  }

  it('drops input before control is granted and after the customer revokes it; revoking releases every held key', async () => {
    await screen.setLayout('de');
    const s = await openInputSession(srv, screen.display);
    try {
      const before = screen.typed();
      await s.send([...intoTerminal(), ...keystrokes('not yet', 'de'), ...enter]);
      await expectNothingFor(500, 'typing before control is granted reaches nothing (view only)', () => expect(screen.typed()).toBe(before));

      await s.grantControl();
      // the technician holds Shift and Control (and a mouse button) when the customer takes control back
      await s.send([
        { type: 'pointer-move', x: 5, y: 5 },
        { type: 'key', down: true, code: 'ShiftLeft', key: 'Shift' },
        { type: 'key', down: true, code: 'ControlLeft', key: 'Control' },
        { type: 'pointer-button', button: 0, down: true, x: 5, y: 5 },
      ]);
      expect(await until(async () => (await screen.keysDown()).length === 2, 5_000)).toBe(true);
      const revoked = s.heard('control-revoked');
      s.consent.revoke('control');
      await revoked;
      expect(await until(async () => (await screen.keysDown()).length === 0, 5_000)).toBe(true);
      expect((await screen.pointer()).mask & 0x1f00).toBe(0); // no button held either

      await s.send([...intoTerminal(), ...keystrokes('too late', 'de'), ...enter]);
      await expectNothingFor(700, 'typing after the customer revoked control reaches nothing', () => expect(screen.typed()).toBe(before));
      expect(await screen.keysDown()).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('release-all and the end of the session leave no key held', async () => {
    const s = await openInputSession(srv, screen.display);
    await s.grantControl();
    await s.send([
      { type: 'key', down: true, code: 'AltRight', key: 'AltGraph' },
      { type: 'key', down: true, code: 'ShiftRight', key: 'Shift' },
    ]);
    expect(await until(async () => (await screen.keysDown()).length === 2, 5_000)).toBe(true);
    await s.send([{ type: 'release-all' }]);
    expect(await until(async () => (await screen.keysDown()).length === 0, 5_000)).toBe(true);
    await s.send([{ type: 'key', down: true, code: 'ControlLeft', key: 'Control' }]);
    expect(await until(async () => (await screen.keysDown()).length === 1, 5_000)).toBe(true);
    await s.close(); // the session ends with Control held down
    expect(await until(async () => (await screen.keysDown()).length === 0, 5_000)).toBe(true);
  });

  it('input allowed while the X connection is still opening is injected once it is open, not dropped', async () => {
    const s = await openInputSession(srv, screen.display, undefined, { injectorDelayMs: 1_500 });
    try {
      await s.grantControl();
      await s.send([{ type: 'key', down: true, code: 'ShiftRight', key: 'Shift' }]);
      expect(await until(async () => (await screen.keysDown()).length === 1, 5_000)).toBe(true);
      await s.send([{ type: 'release-all' }]);
      expect(await until(async () => (await screen.keysDown()).length === 0, 5_000)).toBe(true);
    } finally {
      await s.close();
    }
  });

  it('pointer, buttons and the wheel on both axes reach the window under the pointer', async () => {
    const rec = await openPointerRecorder(screen.display, { x: 700, y: 400, width: 300, height: 200 });
    const s = await openInputSession(srv, screen.display);
    try {
      await s.grantControl();
      await s.send([
        { type: 'pointer-move', x: 750, y: 450 },
        { type: 'pointer-button', button: 2, down: true, x: 760, y: 455 },
        { type: 'pointer-button', button: 2, down: false, x: 760, y: 455 },
        { type: 'wheel', dx: 0, dy: 2, x: 800, y: 500 },
        { type: 'wheel', dx: 0, dy: -1, x: 800, y: 500 },
        { type: 'wheel', dx: -1, dy: 0, x: 800, y: 500 },
        { type: 'wheel', dx: 3, dy: 0, x: 800, y: 500 },
      ]);
      const presses = () => rec.events.filter((e) => e.kind === 'press');
      await until(() => presses().length >= 8, 5_000);
      expect(presses().map((e) => e.button)).toEqual([3, 5, 5, 4, 6, 7, 7, 7]);
      expect(presses()[0]).toMatchObject({ rootX: 760, rootY: 455 });
      expect(presses()[1]).toMatchObject({ rootX: 800, rootY: 500 });
      expect(rec.events.some((e) => e.kind === 'motion' && e.rootX === 750 && e.rootY === 450)).toBe(true);
    } finally {
      rec.close();
      await s.close();
    }
  });

  it('local input wins: while the customer moves the mouse, remote input is ignored for about a second', async () => {
    await screen.setLayout('us');
    const s = await openInputSession(srv, screen.display);
    try {
      await s.grantControl();
      await s.send(intoTerminal());
      // the click into the terminal is done (the pointer is there, no button held)
      await vi.waitFor(async () => expect(await screen.pointer()).toMatchObject({ x: screen.terminal.x + 40, y: screen.terminal.y + 20 }), { timeout: 5_000 });
      await vi.waitFor(async () => expect((await screen.pointer()).mask & 0x1f00).toBe(0), { timeout: 5_000 });
      const before = screen.typed();
      await screen.localMouseMove(screen.terminal.x + 60, screen.terminal.y + 30); // the customer's own hand
      await holdStill(250, 'the agent looks for local input every 100 ms: by now it has seen the move');
      await s.send([...keystrokes('ignored', 'us'), ...enter]);
      await expectNothingFor(300, 'remote typing during local use reaches nothing', () => expect(screen.typed()).toBe(before));
      await holdStill(1000, 'the customer stopped: after about a second the technician\'s input counts again');
      await s.send([...keystrokes('counted', 'us'), ...enter]);
      await until(() => screen.typed().length > before.length, 5_000);
      expect(screen.typed()).toBe(before + 'counted\n');
    } finally {
      await s.close();
    }
  });
});
