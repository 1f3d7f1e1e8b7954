import type { Monitor } from '../types.js';
import { MONITORINFOF_PRIMARY, SM_CXVIRTUALSCREEN, SM_CYVIRTUALSCREEN, SM_XVIRTUALSCREEN, SM_YVIRTUALSCREEN, type GdiApi } from './gdi-api.js';

interface RawMonitor {
  left: number;
  top: number;
  right: number;
  bottom: number;
  device: string;
  primary: boolean;
}

/**
 * The monitors (EnumDisplayMonitors + GetMonitorInfoW) in virtual-desktop pixels, the primary first,
 * then left to right. Coordinates are the virtual desktop's own: a monitor left of or above the
 * primary has negative x or y, and the capture, the pointer and the injector all use these.
 * The id is the device name (`\\.\DISPLAY2`), stable while that display is attached; the whole
 * virtual screen stands in when the enumeration finds none.
 */
export function readMonitors(api: GdiApi): Monitor[] {
  const found: RawMonitor[] = [];
  api.EnumDisplayMonitors(null, null, (hMonitor: unknown) => {
    const rect = () => ({ left: 0, top: 0, right: 0, bottom: 0 });
    const info = { cbSize: api.koffi.sizeof(api.types.MONITORINFOEXW), rcMonitor: rect(), rcWork: rect(), dwFlags: 0, szDevice: '' };
    if (api.GetMonitorInfoW(hMonitor, info)) {
      const r = info.rcMonitor;
      found.push({ left: r.left, top: r.top, right: r.right, bottom: r.bottom, device: info.szDevice, primary: (info.dwFlags & MONITORINFOF_PRIMARY) !== 0 });
    }
    return 1;
  }, 0);
  return toMonitors(found, () => ({
    x: api.GetSystemMetrics(SM_XVIRTUALSCREEN) as number,
    y: api.GetSystemMetrics(SM_YVIRTUALSCREEN) as number,
    width: api.GetSystemMetrics(SM_CXVIRTUALSCREEN) as number,
    height: api.GetSystemMetrics(SM_CYVIRTUALSCREEN) as number,
  }));
}

/** Pure: raw monitors -> the list the capture offers (primary first, then by position; unique ids). */
export function toMonitors(raw: readonly RawMonitor[], whole: () => { x: number; y: number; width: number; height: number }): Monitor[] {
  const valid = raw.filter((m) => m.right - m.left > 1 && m.bottom - m.top > 1);
  if (valid.length === 0) return [{ id: 'screen', name: 'Screen', primary: true, ...whole() }];
  const sorted = [...valid].sort((a, b) => Number(b.primary) - Number(a.primary) || a.left - b.left || a.top - b.top);
  const seen = new Set<string>();
  return sorted.map((m, i) => {
    let id = m.device || `monitor-${i + 1}`;
    if (seen.has(id)) id = `${id}#${i + 1}`;
    seen.add(id);
    const name = (m.device.replace(/^\\\\\.\\/, '') || `Monitor ${i + 1}`).replace(/^DISPLAY(\d+)$/, 'Display $1');
    return { id, name, primary: m.primary, x: m.left, y: m.top, width: m.right - m.left, height: m.bottom - m.top };
  });
}
