import { describe, expect, it } from 'vitest';
import { toMonitors } from './monitors.js';

const whole = () => ({ x: -1280, y: 0, width: 3200, height: 1080 });

describe('toMonitors', () => {
  it('puts the primary first and keeps negative coordinates of a monitor left of it', () => {
    const list = toMonitors(
      [
        { left: -1280, top: 0, right: 0, bottom: 1024, device: '\\\\.\\DISPLAY2', primary: false },
        { left: 0, top: 0, right: 1920, bottom: 1080, device: '\\\\.\\DISPLAY1', primary: true },
      ],
      whole,
    );
    expect(list).toEqual([
      { id: '\\\\.\\DISPLAY1', name: 'Display 1', primary: true, x: 0, y: 0, width: 1920, height: 1080 },
      { id: '\\\\.\\DISPLAY2', name: 'Display 2', primary: false, x: -1280, y: 0, width: 1280, height: 1024 },
    ]);
  });

  it('stands in the whole virtual screen when Windows lists no monitor', () => {
    expect(toMonitors([], whole)).toEqual([{ id: 'screen', name: 'Screen', primary: true, x: -1280, y: 0, width: 3200, height: 1080 }]);
  });

  it('keeps ids unique when two monitors share a device name', () => {
    const raw = { left: 0, top: 0, right: 800, bottom: 600, device: 'X', primary: false };
    expect(toMonitors([raw, { ...raw, left: 800, right: 1600 }], whole).map((m) => m.id)).toEqual(['X', 'X#2']);
  });
});
