import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWine, type WineDesktop } from '@fernhilfe/testkit';
import type { Monitor, Rect } from '../../packages/agent/src/platform/types.js';
import { expectNothingFor } from '../support/quiet.js';
import { startCaptureDriver, type CaptureDriver } from './support/capture-rpc.js';

interface Frame {
  width: number;
  height: number;
  dirty: Rect[] | null;
  data: string;
}

const W = 800;
const H = 600;

/** BGRX pixel at x,y of a frame */
function pixel(f: Frame, buf: Buffer, x: number, y: number): [number, number, number] {
  const at = (y * f.width + x) * 4;
  return [buf[at + 2]!, buf[at + 1]!, buf[at]!];
}

/** Every pixel of `r` has colour `rgb`. */
function allOf(f: Frame, r: Rect, rgb: [number, number, number]): boolean {
  const buf = Buffer.from(f.data, 'base64');
  for (let y = r.y; y < r.y + r.height; y++) for (let x = r.x; x < r.x + r.width; x++) if (pixel(f, buf, x, y).join() !== rgb.join()) return false;
  return true;
}

const covers = (rects: Rect[], r: Rect): boolean => {
  // every pixel of r lies in some rectangle
  for (let y = r.y; y < r.y + r.height; y++)
    for (let x = r.x; x < r.x + r.width; x++) if (!rects.some((d) => x >= d.x && x < d.x + d.width && y >= d.y && y < d.y + d.height)) return false;
  return true;
};

/**
 * The Windows screen capture (packages/agent/src/platform/windows/) in Windows Node under wine, on
 * wine's virtual desktop: the driver (support/capture-driver.ts) paints known colours straight onto
 * the desktop with GDI FillRect, and the test reads them back through the capture as the screen
 * feature would: grab, dirty rectangles, damage, monitors, pointer and cursor shape.
 */
describe('Windows screen capture under wine', () => {
  let wine: WineDesktop;
  let driver: CaptureDriver;
  let opened: { method: string; methodReason: string; monitors: Monitor[]; selected: string; pointerEvents: boolean };
  beforeAll(async () => {
    wine = await startWine({ width: W, height: H });
    driver = await startCaptureDriver(wine);
    opened = await driver.call('open');
  }, 240_000);
  afterAll(async () => {
    await driver?.call('close').catch(() => undefined);
    await driver?.stop();
    await wine?.stop();
  });

  it('captures with GDI and says why Desktop Duplication is not used', () => {
    expect(opened.method).toBe('gdi');
    expect(opened.methodReason).toMatch(/DuplicateOutput failed|no D3D11 device|no DXGI|IDXGIOutput1/);
    expect(opened.pointerEvents).toBe(false);
  });

  it('FERNHILFE_CAPTURE=gdi forces GDI and says so', async () => {
    const forced = await driver.call<typeof opened>('open', { env: { FERNHILFE_CAPTURE: 'gdi' } });
    expect(forced.method).toBe('gdi');
    expect(forced.methodReason).toMatch(/FERNHILFE_CAPTURE=gdi/);
  });

  it('lists the virtual desktop as the one primary monitor', () => {
    expect(opened.monitors).toEqual([expect.objectContaining({ x: 0, y: 0, width: W, height: H, primary: true })]);
    expect(opened.selected).toBe(opened.monitors[0]!.id);
  });

  it('returns the real pixels, then only what changed, then nothing while nothing changes', async () => {
    const first = await driver.call<Frame>('grab', { full: true });
    expect(first).toMatchObject({ width: W, height: H, dirty: null });

    const red: Rect = { x: 100, y: 120, width: 64, height: 48 };
    const damageBefore = (await driver.call<{ damage: number }>('counts')).damage;
    await driver.call('fill', { ...red, bgr: 0x0000ff });
    // the poll finds the change and says so, as X11's DAMAGE does
    await expect.poll(async () => (await driver.call<{ damage: number }>('counts')).damage, { timeout: 10_000 }).toBeGreaterThan(damageBefore);
    const changed = await driver.call<Frame | null>('grab');
    expect(changed).not.toBeNull();
    expect(allOf(changed!, red, [255, 0, 0])).toBe(true);
    expect(allOf(changed!, { x: red.x - 2, y: red.y, width: 1, height: 1 }, [255, 0, 0])).toBe(false);
    expect(changed!.dirty).not.toBeNull();
    expect(covers(changed!.dirty!, red)).toBe(true);
    const dirtyArea = changed!.dirty!.reduce((n, r) => n + r.width * r.height, 0);
    expect(dirtyArea).toBeLessThan((W * H) / 10);

    // a second change elsewhere: the dirty rectangles cover it and not the first
    const green: Rect = { x: 500, y: 400, width: 30, height: 20 };
    await driver.call('fill', { ...green, bgr: 0x00ff00 });
    const second = await vi_waitForFrame(driver);
    expect(allOf(second, green, [0, 255, 0])).toBe(true);
    expect(allOf(second, red, [255, 0, 0])).toBe(true);
    expect(covers(second.dirty!, green)).toBe(true);
    expect(covers(second.dirty!, red)).toBe(false);

    // nothing changes on the desktop: grab returns nothing
    await expectNothingFor(1500, 'an unchanged desktop gives no frame', async () => {
      expect(await driver.call('grab')).toBeNull();
    }, 300);
  });

  it('gives a full frame after select, even when nothing changed', async () => {
    expect(await driver.call('grab')).toBeNull();
    expect(await driver.call('select', { id: 'no-such-monitor' })).toBe(false);
    expect(await driver.call('select', { id: opened.selected })).toBe(true);
    const full = await driver.call<Frame | null>('grab');
    expect(full).toMatchObject({ width: W, height: H, dirty: null });
    expect(allOf(full!, { x: 500, y: 400, width: 30, height: 20 }, [0, 255, 0])).toBe(true);
  });

  it('reports the pointer in screen pixels and the cursor shape', async () => {
    expect(await driver.call('setCursor', { x: 321, y: 234 })).toBe(true);
    await expect.poll(() => driver.call('pointer'), { timeout: 10_000 }).toEqual({ x: 321, y: 234 });
    const shape = await driver.call<{ width: number; height: number; hotX: number; hotY: number; opaque: number; clear: number; systemSize: [number, number] } | null>('cursor');
    expect(shape).not.toBeNull();
    expect([shape!.width, shape!.height]).toEqual(shape!.systemSize);
    expect(shape!.opaque).toBeGreaterThan(10);
    expect(shape!.clear).toBeGreaterThan(10);
    expect(shape!.hotX).toBeLessThan(shape!.width);
    expect(shape!.hotY).toBeLessThan(shape!.height);
  });
});

/** The next frame with changes (the poll runs ~30/s while the screen changes). */
async function vi_waitForFrame(driver: CaptureDriver): Promise<Frame> {
  let frame: Frame | null = null;
  await expect.poll(async () => (frame = (await driver.call<Frame | null>('grab')) ?? frame), { timeout: 10_000 }).not.toBeNull();
  return frame!;
}
