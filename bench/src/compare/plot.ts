import type { Cell } from './cells.js';
import type { CompareResults } from './run.js';

/**
 * The plot of the comparison drawn by vega-lite (rendered to SVG headless by vega): glass-to-glass
 * latency median per workload, one panel per link profile, the two stacks side by side, with a bar
 * from the lowest to the highest per-run median (the spread).
 */
export async function comparePlotSvg(r: CompareResults, all: readonly Cell[]): Promise<string> {
  const vega = await import('vega');
  const vl = await import('vega-lite');
  const values = all.map((c) => ({
    profile: c.profile,
    workload: c.workload,
    stack: c.stack,
    latency: finite(c.latency.median),
    lo: finite(c.latency.min),
    hi: finite(c.latency.max),
  }));
  const x = { field: 'workload', type: 'nominal', sort: ['idle', 'typing', 'drag', 'animation'], title: null };
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    data: { values },
    title: { text: `Fernhilfe vs x11vnc + noVNC: latency median, ms (lower is better), bars: min–max of the run medians; ${r.machines.mode}`, anchor: 'start' },
    config: { legend: { orient: 'top' } },
    facet: { column: { field: 'profile', type: 'nominal', sort: r.profiles.map((p) => p.name), title: null } },
    // each profile its own scale: bad's seconds would flatten lan's tens of milliseconds
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 220,
      height: 220,
      encoding: { x, xOffset: { field: 'stack', sort: ['Fernhilfe', 'noVNC'] } },
      layer: [
        {
          mark: 'bar',
          encoding: {
            y: { field: 'latency', type: 'quantitative', title: 'ms' },
            color: { field: 'stack', title: null, scale: { domain: ['Fernhilfe', 'noVNC'], range: ['#1f6f43', '#b5651d'] } },
          },
        },
        {
          mark: { type: 'rule', color: '#222' },
          encoding: { y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } },
        },
      ],
    },
  };
  const compiled = vl.compile(spec as unknown as Parameters<typeof vl.compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  return view.toSVG();
}

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);
