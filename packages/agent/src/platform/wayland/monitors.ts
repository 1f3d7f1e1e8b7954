import type { Monitor } from '../types.js';
import { call, proxy, type Bus } from './dbus.js';

const DISPLAY_CONFIG = 'org.gnome.Mutter.DisplayConfig';

type Variants = Record<string, { value: unknown }>;
/** GetCurrentState's monitors: ((connector, vendor, product, serial), modes, properties) */
type MonitorState = [[string, string, string, string], Array<[string, number, number, number, number, number[], Variants]>, Variants];
/** GetCurrentState's logical monitors: (x, y, scale, transform, primary, monitors, properties) */
type LogicalState = [number, number, number, number, boolean, Array<[string, string, string, string]>, Variants];

/**
 * GNOME's monitors from org.gnome.Mutter.DisplayConfig.GetCurrentState: one per connector that shows
 * a logical monitor, at the logical monitor's place with its current mode's size. The id is the
 * connector ("Meta-0", "HDMI-1"), which ScreenCast.RecordMonitor takes. Scaled monitors (scale ≠ 1)
 * keep their mode's pixel size here; docs/agent-wayland.md.
 */
export async function mutterMonitors(bus: Bus): Promise<Monitor[]> {
  const config = await proxy(bus, DISPLAY_CONFIG, '/org/gnome/Mutter/DisplayConfig', DISPLAY_CONFIG);
  const [, monitors, logical] = await call<[number, MonitorState[], LogicalState[], Variants]>(config, 'GetCurrentState');
  const out: Monitor[] = [];
  for (const [x, y, , , primary, connectors] of logical) {
    for (const [connector] of connectors) {
      const state = monitors.find(([spec]) => spec[0] === connector);
      const mode = state?.[1].find((m) => m[6]['is-current']?.value === true);
      if (!state || !mode) continue;
      const name = state[2]['display-name']?.value;
      out.push({ id: connector, name: typeof name === 'string' && name ? name : connector, x, y, width: mode[1], height: mode[2], primary });
    }
  }
  return out;
}
