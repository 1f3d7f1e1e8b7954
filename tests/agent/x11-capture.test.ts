import { execProgramSync } from '@fernhilfe/programs';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XPainter, rgb, type Rgb, startXvfb, type Xvfb } from '@fernhilfe/testkit';
import { X11Connection } from '../../packages/agent/src/platform/x11/client.js';
import type { ScreenCapture, ScreenCaptureEvents } from '../../packages/agent/src/platform/types.js';
import { CAPTURE_METHOD_ENV, X11ScreenCapture } from '../../packages/agent/src/platform/x11/capture.js';

const LEFT = { name: 'LEFT', x: 0, y: 0, width: 1920, height: 1080 };
const RIGHT = { name: 'RIGHT', x: 1920, y: 0, width: 1920, height: 1080 };
/** the watch glyph of the X cursor font (X11/cursorfont.h XC_watch) */
const WATCH = 150;

/** Colourful stripes with odd sizes and offsets on both monitors: a wrong stride or offset shows. */
function stripes(seed: number): Array<{ color: Rgb; rects: Array<{ x: number; y: number; width: number; height: number }> }> {
  const out = [];
  for (let i = 0; i < 48; i++) {
    const c = (seed * 97 + i * 53) & 0xff;
    out.push({ color: [c, (c * 7 + i) & 0xff, (255 - c) & 0xff] as Rgb, rects: [{ x: (i * 83 + seed) % 3700, y: (i * 37) % 1000, width: 61 + i, height: 17 + (i % 9) * 11 }] });
  }
  return out;
}

/** The BGRX pixel at (x, y) of a frame `width` wide, as [r, g, b]. */
const pixelAt = (data: Buffer, width: number, x: number, y: number): Rgb => {
  const at = (y * width + x) * 4;
  return [data[at + 2]!, data[at + 1]!, data[at]!];
};

/** Descriptors of this process that point into /dev/shm (the segment shows as "/dev/shm/… (deleted)"). */
function ourShmDescriptors(): string[] {
  const out: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith('/dev/shm/')) out.push(target);
    } catch {
      // closed meanwhile
    }
  }
  return out;
}

/** The X server's mappings of segments from the package's provider. */
const serverShmMappings = (xvfb: Xvfb): string[] =>
  readFileSync(`/proc/${xvfb.pid}/maps`, 'utf8')
    .split('\n')
    .filter((l) => l.includes('/dev/shm/node-x11-shm-'));

function next<K extends keyof ScreenCaptureEvents>(capture: ScreenCapture, event: K, withinMs = 5_000): Promise<ScreenCaptureEvents[K] | 'timeout'> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      off();
      resolve('timeout');
    }, withinMs);
    const off = capture.on(event, (value) => {
      clearTimeout(timer);
      off();
      resolve(value);
    });
  });
}

/**
 * The X11 capture on the `x11` package against a real two-monitor Xvfb (3840x1080, RandR 1.5
 * monitors LEFT and RIGHT): MIT-SHM and the forced core fallback read the same pixels, DAMAGE makes
 * an idle screen cost nothing, XFIXES reports cursor changes, RandR monitors and their changes, and
 * the shared memory segment is gone from both processes after close.
 */
describe('X11 screen capture (x11 package, real Xvfb)', () => {
  let xvfb: Xvfb;
  let painter: XPainter;
  let shm: X11ScreenCapture;
  let core: X11ScreenCapture;

  beforeAll(async () => {
    xvfb = await startXvfb({ width: 3840, height: 1080, randr: true, monitors: [LEFT, RIGHT] });
    painter = await XPainter.open(xvfb.display);
    await painter.paint(stripes(1));
    shm = await X11ScreenCapture.open({ display: xvfb.name });
    core = await X11ScreenCapture.open({ display: xvfb.name, method: 'core' });
  });

  afterAll(async () => {
    await shm?.close();
    await core?.close();
    painter?.close();
    await xvfb?.stop();
  });

  it('lists the RandR monitors and picks the primary one; shared memory by default, core when forced', async () => {
    expect(shm.monitors.map(({ name, x, y, width, height, primary }) => ({ name, x, y, width, height, primary }))).toEqual([
      { ...LEFT, primary: true },
      { ...RIGHT, primary: false },
    ]);
    expect(shm.selected.name).toBe('LEFT');
    expect(shm.method).toBe('shm');
    expect(core.method).toBe('core');
    process.env[CAPTURE_METHOD_ENV] = 'core';
    try {
      const viaEnv = await X11ScreenCapture.open({ display: xvfb.name });
      expect(viaEnv.method).toBe('core');
      await viaEnv.close();
    } finally {
      delete process.env[CAPTURE_METHOD_ENV];
    }
  });

  it('reads the same pixels by core GetImage as by MIT-SHM, on both monitors, and they are the painted ones', async () => {
    for (const monitor of [LEFT, RIGHT]) {
      const id = shm.monitors.find((m) => m.name === monitor.name)!.id;
      expect(shm.select(id) && core.select(id)).toBe(true);
      const a = (await shm.grab({ full: true }))!;
      const b = (await core.grab({ full: true }))!;
      expect([a.width, a.height, b.width, b.height]).toEqual([1920, 1080, 1920, 1080]);
      expect(b.data.length).toBe(a.data.length);
      expect(b.data.equals(a.data), `${monitor.name}: core and SHM frames differ`).toBe(true);
    }
    // the last stripe drawn, read back at its centre on the monitor it lies on
    const last = stripes(1).at(-1)!;
    const r = last.rects[0]!;
    const onRight = r.x >= RIGHT.x;
    shm.select(shm.monitors[onRight ? 1 : 0]!.id);
    const frame = (await shm.grab({ full: true }))!;
    expect(pixelAt(frame.data, 1920, r.x - (onRight ? RIGHT.x : 0) + 30, r.y + 8)).toEqual(last.color);
  });

  it('does no work for an unchanged screen, and reads only what DAMAGE reports (core and shared memory)', async () => {
    for (const c of [shm, core]) {
      c.select(c.monitors[0]!.id);
      await c.grab({ full: true });
    }
    // idle: no damage event, and a grab finds nothing to do
    expect(await next(shm, 'damage', 300)).toBe('timeout');
    expect(await shm.grab()).toBeUndefined();
    expect(await core.grab()).toBeUndefined();

    // a change on the monitor not shown: an event, but no frame
    const otherSide = next(core, 'damage');
    await painter.fill(rgb('#123456'), [{ x: 2500, y: 300, width: 50, height: 50 }]);
    expect(await otherSide).toBeUndefined();
    expect(await core.grab()).toBeUndefined();

    // a change on the shown monitor: both patch the damaged rectangles into their kept frame
    const damaged = next(core, 'damage');
    await painter.paint([
      { color: rgb('#fedcba'), rects: [{ x: 101, y: 203, width: 77, height: 31 }] },
      { color: rgb('#0a0b0c'), rects: [{ x: 1700, y: 900, width: 9, height: 121 }] },
    ]);
    expect(await damaged).toBeUndefined();
    const patched = (await core.grab())!;
    expect(pixelAt(patched.data, 1920, 120, 210)).toEqual(rgb('#fedcba'));
    const shmPatched = (await shm.grab())!;
    // the frame says what changed: both rectangles, nothing far from them
    const covers = (x: number, y: number) => shmPatched.dirty!.some((d) => x >= d.x && x < d.x + d.width && y >= d.y && y < d.y + d.height);
    expect([covers(101, 203), covers(177, 233), covers(1700, 900), covers(1708, 1020), covers(900, 600)]).toEqual([true, true, true, true, false]);
    // precisely: the rows from the first painted one to the last, and only the painted pixels (the
    // colour conversion and the encoder's band of rows follow from this), the same from both paths
    for (const frame of [shmPatched, patched]) {
      const d = frame.dirty!;
      expect([Math.min(...d.map((r) => r.y)), Math.max(...d.map((r) => r.y + r.height))]).toEqual([203, 1021]);
      expect(d.reduce((n, r) => n + r.width * r.height, 0)).toBe(77 * 31 + 9 * 121);
    }
    const shmFrame = Buffer.from(shmPatched.data);
    const truth = (await shm.grab({ full: true }))!;
    expect(truth.dirty).toBeUndefined();
    expect(patched.data.equals(truth.data), 'the patched core frame differs from a full SHM grab').toBe(true);
    expect(shmFrame.equals(truth.data), 'the patched SHM frame differs from a full SHM grab').toBe(true);
  });

  it('reports the cursor shape (XFIXES) when it changes, and the pointer position', async () => {
    const before = await shm.cursorShape();
    expect(before).toBeDefined();
    expect(before!.rgba.length).toBe(before!.width * before!.height * 4);
    // a glyph cursor (the cursor font's "watch") on the root, from a client that stays connected:
    // the X server refuses GetCursorImage for a cursor whose client has gone (xsetroot's)
    const setter = await X11Connection.open(xvfb.name);
    try {
      const changed = next(shm, 'cursor-shape');
      const font = setter.client.AllocID();
      setter.client.OpenFont(font, 'cursor');
      const cursor = setter.client.AllocID();
      setter.client.CreateGlyphCursor(cursor, font, font, WATCH, WATCH + 1, { R: 0, G: 0, B: 0 }, { R: 0xffff, G: 0xffff, B: 0xffff });
      setter.client.ChangeWindowAttributes(setter.root, { cursor });
      await setter.sync();
      const shape = await changed;
      if (shape === 'timeout' || !before) return expect(shape, 'no cursor-shape event').not.toBe('timeout');
      expect(shape.serial).not.toBe(before.serial);
      expect(shape.rgba.length).toBe(shape.width * shape.height * 4);
      expect(shape.rgba.some((v, i) => i % 4 === 3 && v > 0), 'the new cursor has visible pixels').toBe(true);
      expect(Buffer.from(shape.rgba).equals(before.rgba), 'the watch looks different from the default cursor').toBe(false);
    } finally {
      await setter.close();
    }
    execProgramSync('xdotool', ['mousemove', '2345', '678'], { env: { ...process.env, DISPLAY: xvfb.name } });
    expect(await shm.pointer()).toEqual({ x: 2345, y: 678 });

    // movement through XTEST (as a real mouse: raw motion) wakes the tracker; one event until the next look
    expect(shm.pointerEvents).toBe(true);
    const moved = next(shm, 'pointer-moved');
    execProgramSync('xdotool', ['mousemove_relative', '--', '-10', '5'], { env: { ...process.env, DISPLAY: xvfb.name } });
    expect(await moved).toBeUndefined();
    expect(await shm.pointer()).toEqual({ x: 2335, y: 683 });
  });

  it('follows a RandR change of the monitors', async () => {
    // defining or deleting a monitor sends no RandR event by itself; an output change does
    execProgramSync('xrandr', ['--display', xvfb.name, '--delmonitor', 'RIGHT']);
    const changed = next(shm, 'monitors');
    execProgramSync('xrandr', ['--display', xvfb.name, '--output', 'screen', '--primary']);
    const list = await changed;
    expect(list === 'timeout' ? list : list.map((m) => m.name)).toEqual(['LEFT']);
  });

  it('leaves no shared memory segment behind after close, in this process or the X server', async () => {
    const capture = await X11ScreenCapture.open({ display: xvfb.name });
    expect(capture.method).toBe('shm');
    const mapped = serverShmMappings(xvfb).length;
    expect(mapped, 'the X server maps the segments while captures are open').toBeGreaterThanOrEqual(2);
    expect(readdirSync('/dev/shm').filter((f) => f.startsWith(`node-x11-shm-${process.pid}-`)), 'segment files are unlinked at once').toEqual([]);
    await capture.close();
    await shm.close();
    await core.close();
    expect(ourShmDescriptors()).toEqual([]);
    // the server lets go of a segment when it has processed the Detach or the connection ended
    await painter.sync();
    expect(serverShmMappings(xvfb)).toEqual([]);
    expect(readdirSync('/dev/shm').filter((f) => f.startsWith(`node-x11-shm-${process.pid}-`))).toEqual([]);
  });
});
