import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Sample } from './sampler.js';

/** CPU (% of one core) and resident memory (MiB) per process over time, as an SVG (vega-lite, rendered headless). */
export async function plotSamples(samples: Sample[], title: string): Promise<string> {
  const values = samples.flatMap((s) => [
    ...s.procs.map((p) => ({ t: s.t, series: p.name, cpu: p.cpu, rss: p.rssMiB })),
    { t: s.t, series: 'load generator', cpu: s.benchCpu, rss: null },
  ]);
  const line = (field: 'cpu' | 'rss', axis: string) => ({
    width: 640,
    height: 200,
    mark: { type: 'line', point: true },
    transform: [{ filter: `datum.${field} !== null` }],
    encoding: {
      x: { field: 't', type: 'quantitative', title: 'seconds since start' },
      y: { field, type: 'quantitative', title: axis },
      color: { field: 'series', type: 'nominal', title: null },
    },
  });
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    data: { values },
    vconcat: [line('cpu', 'CPU, % of one core'), line('rss', 'resident memory, MiB')],
  } as unknown as TopLevelSpec;
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
