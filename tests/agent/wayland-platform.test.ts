import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { choosePlatform, platforms } from '@fernhilfe/agent';
import type { CapturedFrame, InputInjector, ScreenCapture } from '../../packages/agent/src/platform/types.js';
import { startMutter, type MutterDesktop } from '../support/mutter.js';
import { enter, keystrokes } from './support/input-keys.js';
import { nextPicture } from './support/portal-dialog.js';

/**
 * The Wayland platform on a real headless GNOME (mutter + PipeWire in a private D-Bus session), in
 * this process: the table picks it over the XWayland DISPLAY, frames come through the system's
 * GStreamer and show a red foot window, and text typed with a German technician's keys arrives
 * exactly in foot's `cat`, on a German and on a US session keyboard (a US keyboard has no key for
 * ü and ß, which mutter cannot type there: docs/agent-wayland.md).
 */
describe('the Wayland platform on headless GNOME', () => {
  let desktop: MutterDesktop | undefined;
  let capture: ScreenCapture | undefined;
  let injector: InputInjector | undefined;
  afterEach(async () => {
    capture?.close();
    await injector?.close();
    await desktop?.stop();
    vi.unstubAllEnvs();
  });

  /** the next grab with a picture (a full one) */
  const grab = (): Promise<CapturedFrame> => nextPicture(capture!);
  /** RGB of the BGRx pixel at (x, y) */
  const rgbAt = (f: CapturedFrame, x: number, y: number) => {
    const i = (y * f.width + x) * 4;
    return [f.data[i + 2], f.data[i + 1], f.data[i]];
  };

  const cases = [
    { layout: 'de', text: 'Grüße @€{}[]|\\~ 123' },
    { layout: 'us', text: 'Hello @€{}[]|\\~ 123 yz' },
  ] as const;
  for (const c of cases) {
    it(`on a ${c.layout} keyboard: picked over XWayland, shows a foot window, and "${c.text}" arrives exactly`, async () => {
      desktop = await startMutter({ layout: c.layout });
      // this process plays the agent inside the session: PipeWire's client library reads the runtime folder from the environment
      vi.stubEnv('XDG_RUNTIME_DIR', desktop.env.XDG_RUNTIME_DIR!);
      expect(choosePlatform({ ...desktop.env, DISPLAY: ':0' })).toBe(platforms.wayland);

      capture = await platforms.wayland.openCapture(desktop.env);
      expect(capture.monitors.map((m) => [m.id, m.width, m.height])).toEqual([['Meta-0', 1280, 720]]);
      expect(rgbAt(await grab(), 640, 360)).not.toEqual([0xe0, 0x10, 0x10]);
      const file = path.join(desktop.dir, 'typed.txt');
      desktop.start('foot', ['-o', 'colors.background=e01010', 'sh', '-c', `cat > ${file}`]);
      await vi.waitFor(async () => expect(rgbAt(await grab(), 640, 360)).toEqual([0xe0, 0x10, 0x10]), { timeout: 15_000, interval: 100 });
      await vi.waitFor(() => expect(existsSync(file)).toBe(true), { timeout: 10_000 });

      injector = await platforms.wayland.openInjector(desktop.env);
      await injector.move(640, 360);
      await injector.button(0, true);
      await injector.button(0, false);
      for (const e of [...keystrokes(c.text, 'de'), ...enter]) if (e.type === 'key') await injector.key(e.code, e.key, e.down);
      await vi.waitFor(() => expect(readFileSync(file, 'utf8')).toBe(c.text + '\n'), { timeout: 10_000 });
    }, 60_000);
  }

  it('the wheel scrolls foot’s scrollback up and back down', async () => {
    desktop = await startMutter();
    vi.stubEnv('XDG_RUNTIME_DIR', desktop.env.XDG_RUNTIME_DIR!);
    capture = await platforms.wayland.openCapture(desktop.env);
    const file = path.join(desktop.dir, 'ready.txt');
    desktop.start('foot', ['sh', '-c', `seq 1 300; echo > ${file}; cat`]);
    await vi.waitFor(() => expect(existsSync(file)).toBe(true), { timeout: 15_000 });
    injector = await platforms.wayland.openInjector(desktop.env);
    await injector.move(640, 360);
    // the pointer (drawn into the frames) left out: it can take foot's text shape only after the first
    // picture (CI: the end never looked "the same" again), and the lines scroll everywhere else
    const withoutPointer = (f: CapturedFrame): Buffer => {
      const data = Buffer.from(f.data);
      for (let y = 310; y < 430; y++) data.fill(0, (y * f.width + 590) * 4, (y * f.width + 710) * 4);
      return data;
    };
    const settled = async () => {
      // the same picture twice in a row: foot has drawn everything
      let last: Buffer | undefined;
      let now: Buffer | undefined;
      await vi.waitFor(async () => {
        last = now;
        now = withoutPointer(await grab());
        expect(last?.equals(now)).toBe(true);
      }, { timeout: 15_000, interval: 300 });
      return now!;
    };
    const bottom = await settled();
    // On a loaded machine the first notches can land before foot has the pointer (seen in the
    // fresh-machine rehearsal: the picture did not change); the test turns the wheel again, as a
    // person would, until the picture changes: a wheel that never scrolls still fails here.
    let turns = 0;
    await vi.waitFor(
      async () => {
        turns++;
        await injector!.wheel(0, -5);
        expect((await settled()).equals(bottom), 'wheel up shows earlier lines').toBe(false);
      },
      { timeout: 30_000, interval: 500 },
    );
    expect(turns, 'the wheel scrolled within three turns').toBeLessThanOrEqual(3);
    // and back down, a turn at a time, until the end shows again
    let back = 0;
    await vi.waitFor(
      async () => {
        back++;
        await injector!.wheel(0, 5);
        expect((await settled()).equals(bottom), 'wheel down comes back to the end').toBe(true);
      },
      { timeout: 30_000, interval: 500 },
    );
    expect(back, 'as many turns down as up (or fewer)').toBeLessThanOrEqual(turns);
  }, 60_000);

  it('records every monitor; selecting one shows its own picture', async () => {
    desktop = await startMutter({ monitors: ['1280x720', '800x600'] });
    vi.stubEnv('XDG_RUNTIME_DIR', desktop.env.XDG_RUNTIME_DIR!);
    capture = await platforms.wayland.openCapture(desktop.env);
    expect(capture.monitors.map((m) => [m.width, m.height])).toEqual([
      [1280, 720],
      [800, 600],
    ]);
    const [first, second] = capture.monitors;
    expect(capture.selected).toBe(first);
    expect((await grab()).width).toBe(1280);
    expect(capture.select(second!.id)).toBe(true);
    await vi.waitFor(async () => expect([(await grab()).width, (await grab()).height]).toEqual([800, 600]), { timeout: 15_000, interval: 100 });
    expect(capture.select('HDMI-9')).toBe(false);
  }, 60_000);
});
