import type { CompareResults } from './run.js';

/**
 * A plot of the comparison drawn by vega-lite (rendered to SVG headless by vega): four panels,
 * latency, frames per second, bytes per second (log scale) and capturing-side CPU, each with the two
 * stacks side by side per workload.
 */
export async function comparePlotSvg(r: CompareResults): Promise<string> {
  const vega = await import('vega');
  const vl = await import('vega-lite');
  const values = r.workloads.flatMap((w) =>
    w.results.map((s) => ({
      workload: w.workload,
      stack: s.stack,
      latency: s.latency.p50,
      fps: s.traffic.fps,
      kbs: Math.max(0.01, s.traffic.bytesPerSecond / 1000),
      cpu: s.traffic.captureCpu,
    })),
  );
  const panel = (field: string, title: string, log = false) => ({
    width: 260,
    height: 200,
    title,
    mark: 'bar',
    encoding: {
      x: { field: 'workload', type: 'nominal', sort: ['idle', 'typing', 'drag', 'animation'], title: null },
      xOffset: { field: 'stack' },
      // symlog, not log: bars start at 0, which a log scale cannot show
      y: { field, type: 'quantitative', title: null, ...(log ? { scale: { type: 'symlog', constant: 1 } } : {}) },
      color: { field: 'stack', title: null, scale: { domain: ['Fernhilfe', 'noVNC'], range: ['#1f6f43', '#b5651d'] } },
    },
  });
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    data: { values },
    title: { text: 'Fernhilfe vs x11vnc + noVNC, one Xvfb 1920x1080', anchor: 'start' },
    config: { legend: { orient: 'top' } },
    hconcat: [panel('latency', 'latency median, ms (lower is better)'), panel('fps', 'frames/s at the viewer'), panel('kbs', 'kB/s to the viewer (symlog)', true), panel('cpu', 'capturing side, % of a core')],
  };
  const compiled = vl.compile(spec as unknown as Parameters<typeof vl.compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  return view.toSVG();
}
