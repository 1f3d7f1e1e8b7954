import { openScreenCapture } from '@fernhilfe/agent';
import { quantile } from './measure.js';

export interface CaptureCost {
  method: string;
  grabs: number;
  medianMs: number;
  p90Ms: number;
}

/** Full-monitor grabs (1920x1080) by shared memory and by core GetImage, timed one after another. */
export async function measureCapture(display: string, grabs: number): Promise<CaptureCost[]> {
  const out: CaptureCost[] = [];
  for (const method of ['auto', 'core'] as const) {
    const capture = await openScreenCapture({ display, method });
    try {
      const times: number[] = [];
      await capture.grab({ full: true });
      for (let i = 0; i < grabs; i++) {
        const t = performance.now();
        await capture.grab({ full: true });
        times.push(performance.now() - t);
      }
      out.push({ method: capture.method, grabs, medianMs: quantile(times, 0.5)!, p90Ms: quantile(times, 0.9)! });
    } finally {
      capture.close();
    }
  }
  return out;
}
